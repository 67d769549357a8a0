package io.sluice.base;

import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * How long one stop of a link may still take ({@code sluice.links.stop-timeout}, default 30 s), counted from the start
 * of the stop. The control plane (its LinkShutdown) sets it at start-up (and Camel's shutdown strategy timeout to the same), so every
 * component's stop (pause, stop, delete, SIGTERM) has the same bound without each being configured. A consumer waits for its in-flight work within the budget and abandons what cannot finish: its
 * position stays at the last committed point (nothing after it was committed), and the log names what was abandoned.
 *
 * <p>The budget ends a little before Camel's own timeout, so a consumer gives up itself, saying what it leaves, rather
 * than being cut off by Camel's forced shutdown.
 */
public final class StopBudget {

    private static final Logger LOG = Logger.getLogger(StopBudget.class);
    /** Left to Camel after the consumer's budget: stopping the route's producers and its services. */
    private static final long MARGIN_MS = 1_000;

    private final String link;
    private final long deadlineNanos;
    private final long totalMs;

    private StopBudget(String link, long totalMs) {
        this.link = link;
        this.totalMs = totalMs;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(totalMs);
    }

    /** {@code sluice.links.stop-timeout} in ms, set at start-up by the control plane. */
    private static volatile long stopTimeoutMs = 30_000;

    public static void stopTimeout(long ms) {
        stopTimeoutMs = ms;
    }

    /** A budget of the stop timeout starting now, for stopping {@code link}. */
    public static StopBudget start(String link) {
        return new StopBudget(link, Math.max(500, stopTimeoutMs - MARGIN_MS));
    }

    /** A budget of {@code ms} starting now (tests, and steps with a bound of their own). */
    public static StopBudget ofMillis(String link, long ms) {
        return new StopBudget(link, ms);
    }

    /** What is left of the budget, in ms (0 when it is spent). */
    public long remainingMs() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** The whole budget, in ms (for messages). */
    public long totalMs() {
        return totalMs;
    }

    /**
     * Waits for {@code thread} to end within the budget; true when it ended. An interrupt of the stopping thread (Camel's
     * forced shutdown) ends the wait: the thread is then treated as not ended.
     */
    public boolean join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return true;
        }
        try {
            thread.join(Math.max(1, remainingMs()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /**
     * Runs {@code step} on a thread of its own and waits for it within the budget; true when it finished. A step that
     * does not finish in time goes on in the background (it cannot be cut off safely: a closing client, a commit in
     * flight) and the stop goes on without it; {@code what} names it in the log.
     */
    public boolean run(String what, Runnable step) {
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warnf("link %s: %s failed while stopping: %s", link, what, Errors.describe(e));
            }
        }, "sluice-stop-" + link);
        t.setDaemon(true);
        t.start();
        boolean done = join(t);
        if (!done) {
            abandoned(what);
        }
        return done;
    }

    /** Logs that {@code what} could not finish within the stop timeout and was abandoned. */
    public void abandoned(String what) {
        LOG.warnf("link %s: %s did not finish within the %d ms the stop timeout (sluice.links.stop-timeout) left it, and "
                + "was abandoned; the link's position stays at its last committed point, so what it carried is read again "
                + "on start", link, what, totalMs);
    }
}
