package io.sluice.binlog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Booking arithmetic on a given clock: no sleeping, no timing assertions. */
class ThrottleTest {

    private static final long S = 1_000_000_000L;

    @Test
    void spacesBatchesToTheRowLimit() {
        Throttle t = new Throttle(100, 0);
        assertEquals(0, t.book(50, 0, 0));          // first batch passes at once and books 0.5 s
        assertEquals(500, t.book(50, 0, 0));        // the next one waits until then
        assertEquals(0, t.book(50, 0, 2 * S));      // idle time is not saved up beyond "now"
    }

    @Test
    void theStricterOfRowsAndBytesWins() {
        Throttle t = new Throttle(1_000, 1_000_000); // 1000 rows/s, 1 MB/s
        assertEquals(0, t.book(10, 2_000_000, 0));   // 2 MB: 2 s at the byte limit (rows alone: 0.01 s)
        assertEquals(2_000, t.book(1, 1, 0));
    }

    @Test
    void offMeansNoWait() {
        Throttle t = new Throttle(0, 0);
        assertEquals(0, t.book(1_000_000, Long.MAX_VALUE / 2, 0));
        assertEquals(0, t.book(1_000_000, Long.MAX_VALUE / 2, 0));
    }
}
