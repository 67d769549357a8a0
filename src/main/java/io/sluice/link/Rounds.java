package io.sluice.link;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A round over the links, run on a daemon thread of its own every {@code interval} after the previous round ended
 * (a round that waits on servers that do not answer only delays the next). A round that throws is logged and the next
 * one still comes: an executor stops repeating a task that threw.
 */
final class Rounds {

    private static final Logger LOG = Logger.getLogger(Rounds.class);

    private final ScheduledExecutorService executor;

    private Rounds(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts running {@code round} every {@code interval}; {@code what} names it in the log when a round fails. */
    static Rounds every(Duration interval, String threadName, String what, Runnable round) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                round.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s failed; trying again in %s", what, interval);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return new Rounds(executor);
    }

    /** {@code interval}, but at least a second: rounds more often than that are not what anyone meant. */
    static Duration atLeastASecond(Duration interval) {
        return interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
    }

    void stop() {
        executor.shutdownNow();
    }
}
