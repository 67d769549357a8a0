package io.sluice.base;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures mean a server cannot be reached: the retry time they count against, the connections a pool evicts. */
class ConnectionFailuresTest {

    @Test
    void unreachableServersAreConnectionFailures() {
        assertTrue(ConnectionFailures.isConnectionFailure(new IllegalStateException("send failed", new ConnectException("refused"))));
        assertTrue(ConnectionFailures.isConnectionFailure(new org.apache.kafka.common.errors.TimeoutException("metadata")));
        assertTrue(ConnectionFailures.isConnectionFailure(new SQLException("gone", "08S01")));
        assertTrue(ConnectionFailures.isConnectionFailure(new IllegalStateException("Kafka did not acknowledge the change")));
    }

    @Test
    void connectionsADriverSaysAreGoneAreConnectionFailures() {
        assertTrue(ConnectionFailures.isConnectionFailure(new SQLNonTransientConnectionException("closed")));
        assertTrue(ConnectionFailures.isConnectionFailure(new SQLRecoverableException("reset")));
    }

    @Test
    void otherFailuresAreOtherIssues() {
        assertFalse(ConnectionFailures.isConnectionFailure(new IllegalStateException("injected failure")));
        assertFalse(ConnectionFailures.isConnectionFailure(new SQLException("deadlock", "40001")));
    }
}
