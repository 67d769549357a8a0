package io.sluice.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Precheck of a destination data source: can we log in and run a query within a time limit? Returns an error
 * message for the user, classified like {@link SinkWriteException} (never containing a password), or empty.
 *
 * <p>The time limit is enforced by this class (the connect runs on a daemon thread), so it holds even when the
 * DataSource has no connect timeout of its own; the DataSource's settings are not changed. A connection that
 * arrives after the limit is closed.
 */
public final class ConnectionProbe {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private ConnectionProbe() {
    }

    /** {@link #check(DataSource, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static Optional<String> check(DataSource dataSource) {
        return check(dataSource, DEFAULT_TIMEOUT);
    }

    /** Empty if a connection is obtained and {@code SELECT 1} answers within {@code timeout}; else why not. */
    public static Optional<String> check(DataSource dataSource, Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        int seconds = (int) Math.max(1, (millis + 999) / 1000);
        CompletableFuture<Connection> future = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                future.complete(dataSource.getConnection());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "sluice-connection-probe");
        t.setDaemon(true);
        t.start();
        Connection conn;
        try {
            conn = future.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.thenAccept(ConnectionProbe::closeQuietly); // close it if it ever arrives
            return Optional.of("cannot connect to the destination database within " + describe(timeout)
                    + ": check the host, port, network access (firewall / IP whitelist) and that the server is running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(ConnectionProbe::closeQuietly);
            return Optional.of("connection check of the destination database was interrupted");
        } catch (ExecutionException e) {
            return Optional.of(connectMessage(e.getCause()));
        }
        try (conn; Statement st = conn.createStatement()) {
            st.setQueryTimeout(seconds);
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                if (!rs.next()) {
                    return Optional.of("the destination database did not answer SELECT 1");
                }
            }
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.of(queryMessage(e));
        }
    }

    static String connectMessage(Throwable e) {
        String detail = SqlErrors.describe(e);
        return switch (SqlErrors.classify(e)) {
            case ACCESS -> "cannot log in to the destination database, access denied: check the account and password "
                    + "of the destination data source: " + detail;
            case RETRYABLE -> "cannot connect to the destination database: check the host, port, network access "
                    + "(firewall / IP whitelist) and that the server is running: " + detail;
            case DATA, OTHER -> "cannot connect to the destination database: check the data source settings: "
                    + detail;
        };
    }

    static String queryMessage(Throwable e) {
        String detail = SqlErrors.describe(e);
        return switch (SqlErrors.classify(e)) {
            case ACCESS -> "connected to the destination database but access was denied: check the account and "
                    + "password of the destination data source and its privileges: " + detail;
            case RETRYABLE -> "connected to the destination database but the connection failed or timed out: "
                    + detail;
            case DATA, OTHER -> "connected to the destination database but SELECT 1 failed: " + detail;
        };
    }

    private static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing to do
        }
    }
}
