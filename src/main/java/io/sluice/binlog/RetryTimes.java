package io.sluice.binlog;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Which of the seed's two retry times a failure counts against: "failed connections" (a server that cannot be
 * reached or answers too late) or "other issues" (everything else that may pass).
 */
final class RetryTimes {

    private RetryTimes() {
    }

    static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException
                    || c instanceof SQLTransientConnectionException
                    || c instanceof org.apache.kafka.common.errors.TimeoutException
                    || c instanceof org.apache.kafka.common.errors.NetworkException
                    || c instanceof java.util.concurrent.TimeoutException
                    || (c instanceof SQLException se && se.getSQLState() != null && se.getSQLState().startsWith("08"))) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && (m.contains("did not acknowledge") || m.contains("not reachable") || m.contains("unreachable"))) {
                return true;
            }
        }
        return false;
    }
}
