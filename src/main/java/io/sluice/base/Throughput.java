package io.sluice.base;

/**
 * Records per second over a sliding window of whole seconds: one counter per second of the window, reused as time
 * moves on. Adding is a few operations under a lock held for nanoseconds, once per batch, so the hot path stays cheap.
 */
final class Throughput {

    private final int windowSeconds;
    private final long[] counts;
    /** The second (since the epoch) each slot counts; a slot of an older second is stale. */
    private final long[] seconds;
    private final long createdMs;

    Throughput(int windowSeconds) {
        this.windowSeconds = windowSeconds;
        this.counts = new long[windowSeconds];
        this.seconds = new long[windowSeconds];
        this.createdMs = System.currentTimeMillis();
    }

    synchronized void add(long n) {
        long now = System.currentTimeMillis() / 1000;
        int slot = (int) (now % windowSeconds);
        if (seconds[slot] != now) {
            seconds[slot] = now;
            counts[slot] = 0;
        }
        counts[slot] += n;
    }

    /**
     * The records of the last window divided by its length, or by the time since this counter was made when that is
     * shorter (a link that started 10 s ago at 1,000 rows/s shows 1,000, not 167).
     */
    synchronized double perSecond() {
        long nowMs = System.currentTimeMillis();
        long now = nowMs / 1000;
        long sum = 0;
        for (int i = 0; i < windowSeconds; i++) {
            if (now - seconds[i] < windowSeconds) {
                sum += counts[i];
            }
        }
        double span = Math.min(windowSeconds, Math.max(1.0, (nowMs - createdMs) / 1000.0));
        return sum / span;
    }
}
