package io.sluice.base;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether a failure means a server cannot be reached, answers too late or dropped the connection, as opposed to a
 * refusal or an error in what was sent. It decides which of the seed's retry times a failed batch counts against
 * ("failed connections" or "other issues"), whether a probe found a server down, and which connections a pool evicts.
 */
public final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** True when {@code t} or one of its causes is a connection failure. */
    public static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException
                    || c instanceof SQLTransientConnectionException
                    || c instanceof SQLNonTransientConnectionException || c instanceof SQLRecoverableException
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
