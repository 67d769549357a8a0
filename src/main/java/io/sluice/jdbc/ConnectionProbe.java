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
 * Precheck of a destination data source: can we log in and run a query within a time limit? Answers why not, classified
 * like {@link SinkWriteException} (never containing a password), or nothing. The {@code adb} sink's precheck runs it
 * ({@code GET /api/links/{id}/precheck}).
 *
 * <p>The time limit is enforced by this class (the connect runs on a daemon thread), so it holds even when the
 * DataSource has no connect timeout of its own; the DataSource's settings are not changed. A connection that
 * arrives after the limit is closed.
 */
public final class ConnectionProbe {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Why the check failed: the problem, the fix (null when the problem says it), the database's own words (null when
     * there are none), and whether the server only did not answer, which may pass without a fix.
     */
    public record Failure(String problem, String fix, String detail, boolean unreachable) {

        /** One line: the problem, the fix, the database's words. */
        public String message() {
            StringBuilder sb = new StringBuilder(problem);
            if (fix != null) {
                sb.append(": ").append(fix);
            }
            if (detail != null) {
                sb.append(": ").append(detail);
            }
            return sb.toString();
        }
    }

    private ConnectionProbe() {
    }

    /** {@link #check(DataSource, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static Optional<Failure> check(DataSource dataSource) {
        return check(dataSource, DEFAULT_TIMEOUT);
    }

    /** Empty if a connection is obtained and {@code SELECT 1} answers within {@code timeout}; else why not. */
    public static Optional<Failure> check(DataSource dataSource, Duration timeout) {
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
            return Optional.of(new Failure("cannot connect to the destination database within " + describe(timeout),
                    CHECK_SERVER, null, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(ConnectionProbe::closeQuietly);
            return Optional.of(new Failure("connection check of the destination database was interrupted", null, null,
                    true));
        } catch (ExecutionException e) {
            return Optional.of(connectFailure(e.getCause()));
        }
        try (conn; Statement st = conn.createStatement()) {
            st.setQueryTimeout(seconds);
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                if (!rs.next()) {
                    return Optional.of(new Failure("the destination database did not answer SELECT 1", null, null, false));
                }
            }
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.of(queryFailure(e));
        }
    }

    private static final String CHECK_SERVER = "check the host, port, network access (firewall / IP whitelist) and that "
            + "the server is running";

    static Failure connectFailure(Throwable e) {
        String detail = SqlErrors.describe(e);
        return switch (SqlErrors.classify(e)) {
            case ACCESS -> new Failure("cannot log in to the destination database, access denied",
                    "check the account and password of the destination data source", detail, false);
            case RETRYABLE -> new Failure("cannot connect to the destination database", CHECK_SERVER, detail, true);
            case DATA, OTHER -> new Failure("cannot connect to the destination database",
                    "check the data source settings", detail, false);
        };
    }

    static Failure queryFailure(Throwable e) {
        String detail = SqlErrors.describe(e);
        return switch (SqlErrors.classify(e)) {
            case ACCESS -> new Failure("connected to the destination database but access was denied",
                    "check the account and password of the destination data source and its privileges", detail, false);
            case RETRYABLE -> new Failure("connected to the destination database but the connection failed or timed out",
                    null, detail, true);
            case DATA, OTHER -> new Failure("connected to the destination database but SELECT 1 failed", null, detail,
                    false);
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
