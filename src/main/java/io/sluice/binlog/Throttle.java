package io.sluice.binlog;

/**
 * Spaces batches so that on average no more than {@code rowsPerSecond} rows and {@code bytesPerSecond} bytes pass
 * (seed 004: throttling of full and incremental synchronization, RPS and MB/s). 0 turns a limit off. Each batch
 * books the time its size is worth at the limit; the next batch waits until that time has passed.
 */
final class Throttle {

    private final double rowsPerSecond;
    private final double bytesPerSecond;
    private long nextAllowedNanos;

    Throttle(double rowsPerSecond, double bytesPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    boolean enabled() {
        return rowsPerSecond > 0 || bytesPerSecond > 0;
    }

    /** How long to wait before passing a batch of this size, in ms; books the batch. */
    long book(int rows, long bytes, long nowNanos) {
        if (!enabled()) {
            return 0;
        }
        double seconds = Math.max(rowsPerSecond > 0 ? rows / rowsPerSecond : 0,
                bytesPerSecond > 0 ? bytes / bytesPerSecond : 0);
        long start = Math.max(nextAllowedNanos, nowNanos);
        nextAllowedNanos = start + (long) (seconds * 1e9);
        return (start - nowNanos) / 1_000_000;
    }
}
