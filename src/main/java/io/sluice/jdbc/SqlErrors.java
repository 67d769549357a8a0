package io.sluice.jdbc;

import io.sluice.base.SecretMasker;

import java.io.IOException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Classifies MySQL/MariaDB/AnalyticDB errors into {@link ErrorKind}s and cleans driver messages.
 *
 * <p>Order of checks for each SQLException in the cause / next-exception chain: ACCESS, RETRYABLE, DATA;
 * the first one that is not OTHER wins. A bare I/O exception in the chain counts as RETRYABLE. A statement
 * larger than max_allowed_packet (error 1153, reported with SQLState 08S01) counts as DATA: retrying it cannot help.
 */
public final class SqlErrors {

    /** Login and privilege errors. */
    private static final Set<Integer> ACCESS_CODES = Set.of(
            1044, // ER_DBACCESS_DENIED_ERROR: access denied for user to database
            1045, // ER_ACCESS_DENIED_ERROR: wrong user/password
            1130, // ER_HOST_NOT_PRIVILEGED: host is not allowed to connect
            1141, // ER_NONEXISTING_GRANT
            1142, // ER_TABLEACCESS_DENIED_ERROR: INSERT/UPDATE/SELECT command denied
            1143, // ER_COLUMNACCESS_DENIED_ERROR
            1211, // ER_NO_PERMISSION_TO_CREATE_USER
            1227, // ER_SPECIFIC_ACCESS_DENIED_ERROR
            1370, // ER_PROCACCESS_DENIED_ERROR
            1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
            1820, // ER_MUST_CHANGE_PASSWORD
            1862, // ER_MUST_CHANGE_PASSWORD_LOGIN (password expired)
            3118, // MySQL: account is locked
            4151  // MariaDB: account is locked
    );

    /** Transient errors: the same statement can succeed when retried. */
    private static final Set<Integer> RETRYABLE_CODES = Set.of(
            1040, // ER_CON_COUNT_ERROR: too many connections
            1053, // ER_SERVER_SHUTDOWN
            1152, // ER_ABORTING_CONNECTION
            1158, 1159, 1160, 1161, // network read/write errors and timeouts
            1205, // ER_LOCK_WAIT_TIMEOUT
            1213, // ER_LOCK_DEADLOCK
            1317, // ER_QUERY_INTERRUPTED
            1615, // ER_NEED_REPREPARE
            1637, // ER_TOO_MANY_CONCURRENT_TRXS
            1927, // ER_CONNECTION_KILLED
            1969, // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
            2002, 2003, 2006, 2013, 2055, // client: cannot connect, server gone away, lost connection
            3024, // MySQL: max_execution_time exceeded
            4031  // MariaDB: disconnected by the server because of inactivity
    );

    /** Row data rejected by the table. */
    private static final Set<Integer> DATA_CODES = Set.of(
            1048, // ER_BAD_NULL_ERROR: column cannot be null
            1062, // ER_DUP_ENTRY
            1138, // ER_INVALID_USE_OF_NULL
            1216, 1217, 1451, 1452, // foreign key violations
            1263, // ER_WARN_NULL_TO_NOTNULL
            1264, // ER_WARN_DATA_OUT_OF_RANGE
            1265, // WARN_DATA_TRUNCATED
            1292, // ER_TRUNCATED_WRONG_VALUE (bad date/number)
            1300, // ER_INVALID_CHARACTER_STRING
            1364, // ER_NO_DEFAULT_FOR_FIELD: NOT NULL column without default not supplied
            1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: incorrect value
            1367, // ER_ILLEGAL_VALUE_FOR_TYPE
            1406, // ER_DATA_TOO_LONG
            1411, // ER_WRONG_VALUE_FOR_TYPE
            1416, // ER_CANT_CREATE_GEOMETRY_OBJECT
            1441, // ER_DATETIME_FUNCTION_OVERFLOW
            1586, // ER_DUP_ENTRY_WITH_KEY_NAME
            1690, // ER_DATA_OUT_OF_RANGE
            1859, // ER_DUP_UNKNOWN_IN_INDEX
            3140, // MySQL: invalid JSON text
            3819, // MySQL: check constraint violated
            4025  // MariaDB: CONSTRAINT ... failed (e.g. json_valid)
    );

    private static final int MAX_MESSAGE = 600;

    private SqlErrors() {
    }

    /**
     * Whether the failure is a statement larger than max_allowed_packet (server error 1153 or the driver's own
     * check). The server reports it with SQLState 08S01 and drops the connection, but retrying the same rows fails
     * again, so callers must not treat it as transient.
     */
    public static boolean isPacketTooLarge(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cur = t; cur != null && seen.add(cur); cur = cur.getCause()) {
            if (cur instanceof SQLException se && se.getErrorCode() == 1153) {
                return true;
            }
            String m = cur.getMessage();
            if (m != null && m.contains("max_allowed_packet")) {
                return true;
            }
        }
        return false;
    }

    /** Classifies any throwable by walking its cause and SQLException "next" chain. */
    public static ErrorKind classify(Throwable t) {
        if (isPacketTooLarge(t)) {
            return ErrorKind.DATA;
        }
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean io = false;
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
        todo.add(t);
        while (!todo.isEmpty() && seen.size() < 50) {
            Throwable cur = todo.poll();
            if (cur == null || !seen.add(cur)) {
                continue;
            }
            if (cur instanceof SQLException se) {
                ErrorKind k = classifyOne(se);
                if (k != ErrorKind.OTHER) {
                    return k;
                }
                if (se.getNextException() != null) {
                    todo.add(se.getNextException());
                }
            } else if (cur instanceof IOException) {
                io = true;
            }
            if (cur.getCause() != null) {
                todo.add(cur.getCause());
            }
        }
        return io ? ErrorKind.RETRYABLE : ErrorKind.OTHER;
    }

    /** Classifies a single SQLException by its vendor code, SQLState and JDBC subclass. */
    static ErrorKind classifyOne(SQLException e) {
        int code = e.getErrorCode();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (ACCESS_CODES.contains(code) || state.startsWith("28")
                || e instanceof SQLInvalidAuthorizationSpecException) {
            return ErrorKind.ACCESS;
        }
        if (RETRYABLE_CODES.contains(code) || state.startsWith("08") || state.startsWith("40")
                || state.equals("HYT00") || state.equals("70100")
                || e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return ErrorKind.RETRYABLE;
        }
        if (DATA_CODES.contains(code) || state.startsWith("22") || state.startsWith("23")
                || e instanceof SQLDataException || e instanceof SQLIntegrityConstraintViolationException) {
            return ErrorKind.DATA;
        }
        return ErrorKind.OTHER;
    }

    /** The most informative SQLException in the chain (first one with a vendor code or SQLState), or null. */
    public static SQLException primary(Throwable t) {
        SQLException first = null;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cur = t; cur != null && seen.add(cur); cur = cur.getCause()) {
            if (cur instanceof SQLException se) {
                if (first == null) {
                    first = se;
                }
                if (classifyOne(se) != ErrorKind.OTHER) {
                    return se;
                }
            }
        }
        return first;
    }

    /** "[SQLState 22001, error 1406] Data too long ..." with secrets masked and length bounded. */
    public static String describe(Throwable t) {
        SQLException se = primary(t);
        StringBuilder sb = new StringBuilder();
        if (se != null) {
            sb.append("[SQLState ").append(se.getSQLState() == null ? "-" : se.getSQLState())
                    .append(", error ").append(se.getErrorCode()).append("] ");
        }
        Throwable src = se != null ? se : t;
        String msg = src.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = src.getClass().getSimpleName();
        }
        sb.append(sanitize(msg));
        return sb.toString();
    }

    /** Masks secrets (the one rule set of {@link SecretMasker}), puts the message on one line and bounds its length. */
    public static String sanitize(String msg) {
        if (msg == null) {
            return "";
        }
        String s = SecretMasker.maskText(msg).replaceAll("\\s+", " ").trim();
        if (s.length() > MAX_MESSAGE) {
            s = s.substring(0, MAX_MESSAGE) + "...";
        }
        return s;
    }
}
