package io.sluice.binlog;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which retry time of the seed a failing batch counts against, and the reason the link gives when it runs out. */
class RetryTimesTest {

    private final RetryTimes times = new RetryTimes(1, 5);

    @Test
    void aConnectionFailureCountsAgainstTheRetryTimeForFailedConnections() {
        Exception refused = new IllegalStateException("send failed", new ConnectException("refused"));
        assertNull(times.exceeded(refused, 60_000));
        String why = times.exceeded(refused, 60_001);
        assertNotNull(why);
        assertTrue(why.contains("1 minutes (retry time for failed connections)"), why);
        assertTrue(why.contains("refused"), why);
    }

    @Test
    void otherFailuresCountAgainstTheRetryTimeForOtherIssues() {
        Exception other = new IllegalStateException("injected failure");
        assertNull(times.exceeded(other, 5 * 60_000));
        assertTrue(times.exceeded(other, 5 * 60_000 + 1).contains("5 minutes (retry time for other issues)"));
    }
}
