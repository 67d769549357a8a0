package io.sluice.maxcompute;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * How a {@link ChangeTableWriter} batches: a flush is due when {@code maxBufferedRows} rows are buffered or the
 * oldest buffered row is {@code maxBufferMillis} old. {@code blockRows}: rows per tunnel block. {@code compress}:
 * deflate blocks (the SDK's default) or send them raw. {@code maxAttempts}/{@code retryBackoffMs}: retries of one
 * upload. {@code datetimeZone}: the zone in which MySQL DATETIME wall-clock values become MaxCompute DATETIME
 * instants (set it to the project's {@code odps.sql.timezone} so SQL shows the same wall clock).
 */
public record WriterOptions(int maxBufferedRows, long maxBufferMillis, int blockRows, boolean compress,
                            int maxAttempts, long retryBackoffMs, ZoneId datetimeZone) {

    public static WriterOptions defaults() {
        return new WriterOptions(20_000, 5_000, 10_000, true, 6, 500, ZoneOffset.UTC);
    }

    public WriterOptions {
        if (maxBufferedRows < 1 || maxBufferMillis < 0 || blockRows < 1 || maxAttempts < 1 || retryBackoffMs < 0) {
            throw new IllegalArgumentException("invalid MaxCompute writer options");
        }
    }

    public WriterOptions withMaxBufferedRows(int rows) {
        return new WriterOptions(rows, maxBufferMillis, blockRows, compress, maxAttempts, retryBackoffMs, datetimeZone);
    }

    public WriterOptions withMaxBufferMillis(long millis) {
        return new WriterOptions(maxBufferedRows, millis, blockRows, compress, maxAttempts, retryBackoffMs, datetimeZone);
    }

    public WriterOptions withBlockRows(int rows) {
        return new WriterOptions(maxBufferedRows, maxBufferMillis, rows, compress, maxAttempts, retryBackoffMs, datetimeZone);
    }

    public WriterOptions withCompress(boolean deflate) {
        return new WriterOptions(maxBufferedRows, maxBufferMillis, blockRows, deflate, maxAttempts, retryBackoffMs, datetimeZone);
    }

    public WriterOptions withRetry(int attempts, long backoffMs) {
        return new WriterOptions(maxBufferedRows, maxBufferMillis, blockRows, compress, attempts, backoffMs, datetimeZone);
    }
}
