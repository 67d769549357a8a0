package io.sluice.binlog;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which retry time of the seed a failure counts against. */
class RetryTimesTest {

    @Test
    void unreachableServersAreConnectionFailures() {
        assertTrue(RetryTimes.isConnectionFailure(new IllegalStateException("send failed", new ConnectException("refused"))));
        assertTrue(RetryTimes.isConnectionFailure(new org.apache.kafka.common.errors.TimeoutException("metadata")));
        assertTrue(RetryTimes.isConnectionFailure(new SQLException("gone", "08S01")));
        assertTrue(RetryTimes.isConnectionFailure(new IllegalStateException("Kafka did not acknowledge the change")));
    }

    @Test
    void otherFailuresAreOtherIssues() {
        assertFalse(RetryTimes.isConnectionFailure(new IllegalStateException("injected failure")));
        assertFalse(RetryTimes.isConnectionFailure(new SQLException("deadlock", "40001")));
    }
}
