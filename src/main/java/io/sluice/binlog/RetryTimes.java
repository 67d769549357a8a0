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

    /** A batch that keeps failing: given up after the retry time for its kind of failure. */
    @Override
    public String exceeded(Exception failure, long failingMs) {
        return exceeded(ConnectionFailures.isConnectionFailure(failure), failingMs, "a batch kept failing",
                Errors.describe(failure), "it continues from the same position");
    }

    /**
     * The reason to halt the link when {@code what} has failed for {@code failingMs}, longer than the retry time for
     * failed connections ({@code connection}) or for other issues; null to go on. {@code reason} is the last failure,
     * {@code resume} where the link continues when it is started again.
     */
    String exceeded(boolean connection, long failingMs, String what, String reason, String resume) {
        int minutes = connection ? failedConnectionsMinutes : otherIssuesMinutes;
        if (failingMs <= minutes * 60_000L) {
            return null;
        }
        return what + " for " + minutes + " minutes (retry time for " + (connection ? "failed connections" : "other issues")
                + "): " + reason + ". Fix the cause and start the link; " + resume;
    }
}
