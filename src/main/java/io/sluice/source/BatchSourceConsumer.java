package io.sluice.source;

import io.sluice.base.Backoff;
import io.sluice.base.BackoffOptions;
import io.sluice.base.BatchExchanges;
import io.sluice.base.BatchRetry;
import io.sluice.base.BatchRetry.Outcome;
import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.base.LinkStats;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.base.SecretMasker;
import io.sluice.base.SourceRecord;
import io.sluice.base.StopBudget;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * The part every batch source of a link shares (Kafka JSON, SLS): one poll thread per link, one exchange per
 * batch whose body is a {@code List<SourceRecord>}, and the outcome that decides whether the source commits its
 * position. A failed batch is retried after a growing pause; a {@link LinkHaltException} stops the link with its
 * position uncommitted and shows it as failed.
 *
 * <p>Subclasses implement {@link #pollLoop()} and commit only after {@link #deliver} returned {@link Outcome#DONE}.
 */
public abstract class BatchSourceConsumer extends DefaultConsumer {

    private static final Logger LOG = Logger.getLogger(BatchSourceConsumer.class);

    private final LinkStatsRegistry statsRegistry;
    private final Backoff backoff;
    private BatchRetry retry;
    private volatile boolean running;
    private Thread thread;

    /** {@code options}: the source's, for the backoff of a failed batch or read. */
    protected BatchSourceConsumer(Endpoint endpoint, Processor processor, LinkStatsRegistry stats,
                                  BackoffOptions options) {
        super(endpoint, processor);
        this.statsRegistry = stats;
        this.backoff = options.backoff();
    }

    /** Reads batches while {@link #isRunning()}, delivering each with {@link #deliver}. */
    protected abstract void pollLoop();

    /** Called from {@link #doStop()} when the loop did not end within the grace period: wake a blocked read. */
    protected void interruptPoll() {
        thread.interrupt();
    }

    /**
     * How long a stop waits for the batch in flight to be written and committed before interrupting it; the whole
     * stop keeps within {@code sluice.links.stop-timeout} whatever this says.
     */
    protected long stopGraceMs() {
        return 30_000;
    }

    protected void startPolling(String threadName) {
        running = true;
        backoff.reset();
        retry = new BatchRetry(link(), "records", backoff, this::isRunning, reason -> halt(reason, null),
                BatchRetry.RetryTime.FOREVER);
        thread = new Thread(this::runLoop, threadName);
        thread.start();
    }

    private void runLoop() {
        try {
            awaitRouteStarted();
            pollLoop();
        } catch (RuntimeException e) {
            if (running) {
                halt(sourceName() + " source failed: " + Errors.describe(e), e);
            }
        }
    }

    /**
     * The route counts as started only after every consumer's doStart returned, and starting clears a halt: wait
     * for it, so a halt reported at once (a refused key, a refused start) is not wiped by the start event.
     */
    private void awaitRouteStarted() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (running && System.currentTimeMillis() < deadline) {
            org.apache.camel.ServiceStatus status = getEndpoint().getCamelContext().getRouteController().getRouteStatus(link());
            if (status == null || status.isStarted()) {
                sleep(100); // the started event is sent right after the status changes
                return;
            }
            sleep(20);
        }
    }

    /** A short name for messages, e.g. "the Kafka". */
    protected abstract String sourceName();

    /**
     * Lets the loop finish its batch and commit, interrupting a blocked read when it does not end within its grace
     * period; the whole stop keeps within the stop timeout ({@link StopBudget}): a loop still busy then (a write to a
     * database that does not answer) is abandoned with its position uncommitted, and the stop goes on.
     */
    @Override
    protected void doStop() throws Exception {
        running = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread() && t.isAlive()) {
            StopBudget budget = StopBudget.start(link());
            StopBudget grace = StopBudget.ofMillis(link(), Math.min(stopGraceMs(), budget.remainingMs() * 2 / 3));
            if (!grace.join(t)) {
                interruptPoll();
                t.interrupt();
                if (!budget.join(t)) {
                    budget.abandoned("the " + sourceName() + " source's batch in flight");
                }
            }
        }
        super.doStop();
    }

    public boolean isRunning() {
        return running;
    }

    protected String link() {
        return getRouteId();
    }

    protected LinkStats stats() {
        return statsRegistry.of(link());
    }

    /**
     * Hands a batch to the route as one exchange ({@link BatchRetry#attempt}). On {@link Outcome#RETRY} and
     * {@link Outcome#STOPPED} the batch is read again (now, or on start): the failure has been logged and the pause
     * before the retry has passed.
     */
    protected Outcome deliver(List<SourceRecord> batch, long newestSourceTime) {
        try {
            return retry.attempt(() -> BatchExchanges.process(this, batch, batch.size(), newestSourceTime), batch.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.STOPPED;
        }
    }

    /**
     * A read from the source failed in a way that may pass (server unreachable, throttled): the link shows it as
     * its last error and as failing, and the loop pauses with the growing backoff before reading again.
     */
    protected void readFailed(String message) {
        stats().failed(0, message);
        LOG.warnf("link %s: %s; retrying in %d ms", link(), SecretMasker.maskText(message), backoff.currentMs());
        pause();
    }

    /** A read succeeded after {@link #readFailed}: the backoff starts over and the link no longer shows failing. */
    protected void readRecovered() {
        backoff.reset();
        if (stats().failing()) {
            stats().recordsOut(0);
        }
    }

    /** The pause before retrying, doubling up to the maximum. */
    protected void pause() {
        try {
            backoff.pause(this::isRunning);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the link because it cannot go on; it shows as failed with the reason until started again. */
    protected void halt(String reason, Throwable cause) {
        stats().halted(reason);
        // the reason may quote a dirty record, which carries whatever the source sent (tokens, passwords)
        String logged = SecretMasker.maskText(reason);
        if (cause != null) {
            LOG.errorf(cause, "link %s stopped: %s", link(), logged);
        } else {
            LOG.errorf("link %s stopped: %s", link(), logged);
        }
        stopLinkAsync();
    }

    /** The link stops itself from another thread: stopping waits for this poll loop to end. */
    private void stopLinkAsync() {
        running = false;
        BatchExchanges.stopLinkAsync(this);
    }

    /** Sleeps up to {@code ms}, waking early when the link is being stopped. */
    protected void sleep(long ms) {
        try {
            Backoff.sleep(ms, this::isRunning);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
