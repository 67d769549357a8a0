package io.sluice.link;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.base.DataSourceKind;
import io.sluice.base.DataSourceSink;
import io.sluice.base.LinkStats;
import io.sluice.base.LinkStatsRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tests the destination of every link that moved nothing for {@code sluice.links.idle-sink-check} (default 10 s). A
 * sink finds its destination down only when it writes, so without this a database, MaxCompute project or Kafka cluster
 * that goes away while a link is idle would leave the link shown {@code running} until the next record arrives and
 * fails; a source's own probe asks only the source. The test is the data source's connection test
 * ({@link DataSourceKind#test}, as {@code POST /api/data-sources/{kind}/{name}/test} runs it; one test per data source
 * per round, however many links share it): one that fails makes the link {@code retrying} with the test's message,
 * which names the fix, until it passes again. Only links running here (not paused, halted, stopped or standing by for
 * another instance) and whose sink says what it writes to ({@link DataSourceSink}: a data source, or Kafka brokers
 * given in the URI, tested as a Kafka data source is) are tested; a link already failing for
 * its own reason is left to say so.
 */
@ApplicationScoped
public class IdleSinkCheck {

    private static final Logger LOG = Logger.getLogger(IdleSinkCheck.class);

    @Inject
    CamelContext camel;

    @Inject
    LinkStatsRegistry stats;

    @Inject
    LinksConfig config;

    @Inject
    @Any
    Instance<DataSourceKind> kinds;

    /** Per link: records moved at the last round, and whether this check reported its destination down. */
    private static final class Watch {
        long moved = -1;
        boolean down;
    }

    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(20);

    private final PerLink<Watch> watches = new PerLink<>(Watch::new);
    private Rounds checker;
    /** Runs the tests, so that a test that hangs past {@link #TEST_TIMEOUT} is given up (its thread ends on its own). */
    private final ExecutorService tests = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-idle-sink-test");
        t.setDaemon(true);
        return t;
    });

    void start(@Observes StartupEvent startup) {
        Duration every = config.links().idleSinkCheck();
        if (every.isZero() || every.isNegative()) {
            return;
        }
        checker = Rounds.every(Rounds.atLeastASecond(every), "sluice-idle-sink-check", "testing the destinations of idle links",
                this::check);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (checker != null) {
            checker.stop();
        }
        tests.shutdownNow();
    }

    /** One round over the links. */
    void check() {
        Map<String, DataSourceKind.TestResult> tested = new HashMap<>();
        watches.forEach(camel, (id, w) -> {
            try {
                check(id, w, tested);
            } catch (RuntimeException e) { // one link's sink that cannot be looked up must not keep the others unchecked
                LOG.debugf(e, "link %s: its destination could not be tested", id);
            }
        });
    }

    private void check(String id, Watch w, Map<String, DataSourceKind.TestResult> tested) {
        LinkStats st = stats.of(id);
        long moved = st.recordsIn() + st.recordsOut() + st.recordsFailed();
        boolean idle = moved == w.moved;
        w.moved = moved;
        ServiceStatus status = camel.getRouteController().getRouteStatus(id);
        if (status == null || !status.isStarted() || st.paused() || st.haltReason() != null) {
            w.down = false; // a start clears the link's state; a new round decides again
            return;
        }
        if (!w.down && (!idle || st.failing())) {
            return; // moving, or already retrying for a reason of its own (a failed batch, its source down)
        }
        DataSourceSink.Destination destination = destinationOf(LinkDefinitions.sinkOf(camel, id,
                DataSourceSink.class));
        if (destination == null) {
            return;
        }
        DataSourceKind.TestResult result = tested.computeIfAbsent(destination.name(), n -> test(destination));
        if (!result.ok()) {
            if (!w.down || !st.isServerDown()) { // once, and again if another probe's recovery cleared it
                String why = "the destination (" + destination.name() + ") does not answer while the link has nothing "
                        + "to write: " + result.message() + "; the link writes again once it answers, nothing is lost";
                st.serverDown(why);
                LOG.warnf("link %s: %s", id, why);
            }
            w.down = true;
        } else if (w.down) {
            w.down = false;
            st.runLog().add("recovered", "the destination (" + destination.name() + ") answers again");
            st.serverUp();
        }
    }

    /**
     * The data source's test, waited for at most {@link #TEST_TIMEOUT}: the tests bound their own connects, but a
     * client library's read timeout against a server that accepts and then says nothing can be minutes long, and one
     * such destination must not hold up the rounds of the others.
     */
    private DataSourceKind.TestResult test(DataSourceSink.Destination destination) {
        Future<DataSourceKind.TestResult> running = tests.submit(() -> destination.test().get());
        try {
            return running.get(TEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            return new DataSourceKind.TestResult(false, "its connection test had no answer within "
                    + TEST_TIMEOUT.toSeconds() + " s: check that the server runs and that this host can reach it",
                    TEST_TIMEOUT.toMillis());
        } catch (ExecutionException e) { // not declared (any more): the link's own start or write says so
            return new DataSourceKind.TestResult(true, String.valueOf(e.getCause()), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DataSourceKind.TestResult(true, "interrupted", 0);
        }
    }

    /**
     * What to test for a sink: its data source, tested by its kind's test ("jdbc data source 'x'"), else the
     * destination it names itself; null when neither.
     */
    private DataSourceSink.Destination destinationOf(DataSourceSink sink) {
        if (sink == null) {
            return null;
        }
        DataSourceSink.DataSourceRef ref = sink.sinkDataSource();
        if (ref == null) {
            return sink.otherDestination();
        }
        DataSourceKind kind = kind(ref.kind());
        return kind == null ? null : new DataSourceSink.Destination(ref.kind() + " data source '" + ref.name() + "'",
                () -> kind.test(ref.name()));
    }

    private DataSourceKind kind(String name) {
        for (DataSourceKind k : kinds) {
            if (k.kind().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
