package io.sluice.base;

import java.util.function.BooleanSupplier;

/**
 * The growing pause between retries of a failed batch or read, shared by every source of a link: it starts at the
 * initial pause, doubles after each failure up to the maximum, and starts over after a success. Waits wake early when
 * the link is being stopped, so a stop never waits out a long pause.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private long currentMs;

    public Backoff(long initialMs, long maxMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.currentMs = initialMs;
    }

    /** The pause the next {@link #pause} waits. */
    public long currentMs() {
        return currentMs;
    }

    /** After a success: the next failure waits the initial pause again. */
    public void reset() {
        currentMs = initialMs;
    }

    /** Waits the current pause (less when {@code running} turns false), then doubles it up to the maximum. */
    public void pause(BooleanSupplier running) throws InterruptedException {
        sleep(currentMs, running);
        currentMs = Math.min(currentMs * 2, maxMs);
    }

    /** Sleeps {@code ms}, checking {@code running} at least every 100 ms and returning early when it is false. */
    public static void sleep(long ms, BooleanSupplier running) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (running.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
        }
    }
}
