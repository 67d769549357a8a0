package io.sluice.binlog;

import io.sluice.base.BatchRetry;
import io.sluice.base.ConnectionFailures;
import io.sluice.base.Errors;

/**
 * The seed's two retry times: how long a batch may keep failing before the link gives up on it, one for "failed
 * connections" (a server that cannot be reached or answers too late, {@link ConnectionFailures}) and one for "other
 * issues" (everything else that may pass).
 */
final class RetryTimes implements BatchRetry.RetryTime {

    private final int failedConnectionsMinutes;
    private final int otherIssuesMinutes;

    RetryTimes(int failedConnectionsMinutes, int otherIssuesMinutes) {
        this.failedConnectionsMinutes = failedConnectionsMinutes;
        this.otherIssuesMinutes = otherIssuesMinutes;
    }

    @Override
    public String exceeded(Exception failure, long failingMs) {
        boolean connection = ConnectionFailures.isConnectionFailure(failure);
        int minutes = connection ? failedConnectionsMinutes : otherIssuesMinutes;
        if (failingMs <= minutes * 60_000L) {
            return null;
        }
        return "a batch kept failing for " + minutes + " minutes (retry time for "
                + (connection ? "failed connections" : "other issues") + "): " + Errors.describe(failure)
                + ". Fix the cause and start the link; it continues from the same position";
    }
}
