package io.sluice.base;

import org.jboss.logging.Logger;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether a link's servers answer while it streams. A source whose server is down often raises nothing (a Kafka
 * consumer polls empty batches, Debezium's binlog reader reconnects on its own, a failed offset flush to a state store
 * is only logged), so the link would show {@code running} while nothing can move or be stored. The link's loop calls
 * {@link #check} on each turn: after {@code intervalMs} without a batch the source, and every {@code intervalMs} the
 * link's other servers (a state store), are asked whether they answer; one that does not makes the link
 * {@code retrying} with the reason ({@link LinkStats#serverDown}) until it answers again ({@link LinkStats#serverUp}).
 */
public final class ServerProbe {

    private static final Logger LOG = Logger.getLogger(ServerProbe.class);

    /** Asks the link's servers: the reason one does not answer, or null when all answer. */
    @FunctionalInterface
    public interface Probe {
        /** @param sourceToo whether to ask the source server too (it sent nothing for the interval) */
        String unreachable(boolean sourceToo);
    }

    private final String link;
    private final Supplier<LinkStats> stats;
    private final long intervalMs;
    private final boolean otherServers;
    private final Probe probe;
    private final String recovered;
    private final BooleanSupplier running;
    private long quietSince = System.currentTimeMillis();
    private long lastProbe = System.currentTimeMillis();
    private volatile boolean down;

    /**
     * @param otherServers whether the probe asks servers besides the source, so it is asked while batches arrive too
     * @param recovered    what the run log says when the servers answer again
     * @param running      false once the link is being stopped: a server not answering then is not reported
     */
    public ServerProbe(String link, Supplier<LinkStats> stats, long intervalMs, boolean otherServers, Probe probe,
                       String recovered, BooleanSupplier running) {
        this.link = link;
        this.stats = stats;
        this.intervalMs = intervalMs;
        this.otherServers = otherServers;
        this.probe = probe;
        this.recovered = recovered;
        this.running = running;
    }

    /** One turn of the link's loop; {@code quiet}: no batch arrived in it. Asks the servers when it is time to. */
    public void check(boolean quiet) {
        long now = System.currentTimeMillis();
        if (!quiet) {
            quietSince = now;
        }
        boolean sourceToo = now - quietSince >= intervalMs;
        if (now - lastProbe < intervalMs || !(sourceToo || otherServers)) {
            return;
        }
        lastProbe = now;
        String why = probe.unreachable(sourceToo);
        if (why != null && running.getAsBoolean()) {
            down = true;
            stats.get().serverDown(why);
            LOG.warnf("link %s: %s", link, why);
        } else if (why == null && down) {
            down = false;
            stats.get().runLog().add("recovered", recovered);
            stats.get().serverUp();
        }
    }

    /** The source delivered a batch, so it answers: a link shown retrying for it alone runs again. */
    public void answered() {
        quietSince = System.currentTimeMillis();
        if (down && !otherServers) {
            down = false;
            stats.get().serverUp();
        }
    }

    /** Whether the last probe found a server down. */
    public boolean down() {
        return down;
    }
}
