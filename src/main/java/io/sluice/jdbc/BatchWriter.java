package io.sluice.jdbc;

import io.sluice.record.Column;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Writes rows into one destination table with multi-row statements
 * ({@code INSERT INTO `db`.`t` (`a`,`b`) VALUES (?,?),(?,?)...}), all rows of one {@link #write} call in one
 * transaction.
 *
 * <p>Multi-row statements are used instead of JDBC {@code addBatch}: the MariaDB driver sends a batched upsert
 * as one statement per row, several times slower. A statement holds at most {@link #rowsPerStatement()} rows
 * (maxRowsPerStatement, lowered so rows x columns <= 65535 placeholders) and, estimated conservatively, at most
 * 3/4 of the server's max_allowed_packet bytes, so wide rows (big TEXT) make shorter statements instead of failing.
 *
 * <p>Thread-safe: the writer holds no connection; each {@link #write} borrows one from the DataSource.
 */
public final class BatchWriter {

    public static final int DEFAULT_MAX_ROWS_PER_STATEMENT = 1000;
    /** The MySQL protocol allows at most 65535 placeholders in one prepared statement. */
    public static final int MAX_PLACEHOLDERS = 65535;
    /** Assumed max_allowed_packet when the server does not report one (MySQL 5.7's default). */
    static final long DEFAULT_MAX_ALLOWED_PACKET = 4L * 1024 * 1024;

    private final DataSource dataSource;
    private final TableSchema schema;
    private final List<Column> columns;
    private final WriteMode mode;
    private final int rowsPerStatement;
    private final String head;
    private final String rowPlaceholders;
    private final String tail;
    private final String fullChunkSql;
    /** Types whose values take at most 40 bytes in a statement (as {@link #estimateBytes} counts them). */
    private static final Set<String> SMALL_VALUE_TYPES = Set.of("TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER",
            "BIGINT", "FLOAT", "DOUBLE", "REAL", "DATE", "DATETIME", "TIMESTAMP", "TIME", "YEAR", "BIT", "BOOL", "BOOLEAN");
    /** The most bytes any row can take in a statement, from the column types; 0 when some column is unbounded. */
    private final long maxRowBytes;
    /** The server's max_allowed_packet, read on the first write; 0 until then. */
    private volatile long maxAllowedPacket;

    /** Same as the full constructor with {@link #DEFAULT_MAX_ROWS_PER_STATEMENT}. */
    public BatchWriter(DataSource dataSource, TableSchema schema, List<String> targetColumns, WriteMode mode) {
        this(dataSource, schema, targetColumns, mode, DEFAULT_MAX_ROWS_PER_STATEMENT);
    }

    /**
     * @param targetColumns names of the columns to write, a subset of the table's columns; each row passed to
     *                      {@link #write} holds the values in this order
     * @param maxRowsPerStatement rows per INSERT statement; lowered so rows x columns stays within 65535
     * @throws IllegalArgumentException for an unknown, duplicate or missing column, or maxRowsPerStatement < 1
     */
    public BatchWriter(DataSource dataSource, TableSchema schema, List<String> targetColumns, WriteMode mode,
                       int maxRowsPerStatement) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (targetColumns == null || targetColumns.isEmpty()) {
            throw new IllegalArgumentException("no target columns given for table " + schema.qualifiedName());
        }
        if (maxRowsPerStatement < 1) {
            throw new IllegalArgumentException("maxRowsPerStatement must be at least 1, got " + maxRowsPerStatement);
        }
        List<Column> cols = new ArrayList<>(targetColumns.size());
        Set<String> seen = new HashSet<>();
        for (String name : targetColumns) {
            Column c = schema.column(name).orElseThrow(() -> new IllegalArgumentException(
                    "column '" + name + "' does not exist in destination table " + schema.qualifiedName()));
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column '" + name + "' is listed twice for table "
                        + schema.qualifiedName());
            }
            cols.add(c);
        }
        this.columns = List.copyOf(cols);
        this.rowsPerStatement = Math.max(1, Math.min(maxRowsPerStatement, MAX_PLACEHOLDERS / columns.size()));

        List<Column> updates = new ArrayList<>();
        for (Column c : columns) {
            if (!schema.isPrimaryKeyColumn(c.name())) {
                updates.add(c);
            }
        }
        boolean ignore = mode == WriteMode.INSERT_IGNORE || (mode == WriteMode.UPSERT && updates.isEmpty());
        StringBuilder h = new StringBuilder(ignore ? "INSERT IGNORE INTO " : "INSERT INTO ");
        h.append(quote(schema.database())).append('.').append(quote(schema.table())).append(" (");
        StringBuilder p = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                h.append(',');
                p.append(',');
            }
            h.append(quote(columns.get(i).name()));
            p.append('?');
        }
        h.append(") VALUES ");
        p.append(')');
        StringBuilder t = new StringBuilder();
        if (mode == WriteMode.UPSERT && !updates.isEmpty()) {
            t.append(" ON DUPLICATE KEY UPDATE ");
            for (int i = 0; i < updates.size(); i++) {
                if (i > 0) {
                    t.append(',');
                }
                String q = quote(updates.get(i).name());
                t.append(q).append("=VALUES(").append(q).append(')');
            }
        }
        this.head = h.toString();
        this.rowPlaceholders = p.toString();
        this.tail = t.toString();
        this.fullChunkSql = sql(rowsPerStatement);
        this.maxRowBytes = maxRowBytes(columns);
    }

    /**
     * An upper bound of {@link #estimateBytes} for any row these columns can hold (values are converted to the
     * column types, so a VARCHAR(n) value has at most n characters), or 0 when a column's size is not bounded
     * (TEXT, BLOB, JSON, ...). With a bound, whole chunks that surely fit the statement budget are cut without
     * estimating each row (a sixth of the writer threads' time in a profile).
     */
    private static long maxRowBytes(List<Column> columns) {
        long max = 2;
        for (Column c : columns) {
            String type = c.baseType();
            if ((type.equals("CHAR") || type.equals("VARCHAR")) && c.size() > 0) {
                max += 3L * c.size() + 3;
            } else if ((type.equals("BINARY") || type.equals("VARBINARY")) && c.size() > 0) {
                max += 2L * c.size() + 10;
            } else if (SMALL_VALUE_TYPES.contains(type) || type.equals("DECIMAL") && c.size() <= 36) {
                max += 40;
            } else {
                return 0;
            }
        }
        return max;
    }

    /**
     * Writes all rows in one transaction: autocommit off, one multi-row statement per chunk, commit at the end.
     * On any failure the transaction is rolled back and a classified {@link SinkWriteException} is thrown.
     *
     * @param rows values in target-column order; null means SQL NULL
     * @throws IllegalArgumentException if a row has the wrong number of values (nothing is written)
     * @throws SinkWriteException       if the database rejects the write (nothing of the batch is written,
     *                                  unless the commit itself failed: see the message)
     */
    public void write(List<Object[]> rows) {
        if (rows == null || rows.isEmpty()) {
            return;
        }
        checkWidths(rows);
        Connection conn;
        try {
            conn = dataSource.getConnection();
        } catch (SQLException e) {
            throw SinkWriteException.of(schema.qualifiedName(), e, SinkWriteException.Outcome.NOT_CONNECTED);
        }
        Progress progress = new Progress();
        boolean restoreAutoCommit = false;
        boolean finished = false; // committed or rolled back: safe to switch autocommit back on
        try {
            try {
                if (conn.getAutoCommit()) {
                    conn.setAutoCommit(false);
                    restoreAutoCommit = true;
                }
                writeChunks(conn, rows, progress);
            } catch (SQLException | RuntimeException e) {
                finished = rollbackQuietly(conn, e);
                if (e instanceof SQLException se) {
                    throw SinkWriteException.of(schema.qualifiedName(), se, SinkWriteException.Outcome.ROLLED_BACK,
                            progress.from, progress.count, rows.size());
                }
                throw (RuntimeException) e;
            }
            try {
                conn.commit();
                finished = true;
            } catch (SQLException e) {
                rollbackQuietly(conn, e);
                throw SinkWriteException.of(schema.qualifiedName(), e, SinkWriteException.Outcome.COMMIT_UNKNOWN);
            }
        } finally {
            if (restoreAutoCommit && finished) {
                try {
                    conn.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a pool resets or drops this connection
                }
            }
            try {
                conn.close();
            } catch (SQLException ignored) {
                // nothing useful to do
            }
        }
    }

    private void checkWidths(List<Object[]> rows) {
        int width = columns.size();
        for (int i = 0; i < rows.size(); i++) {
            Object[] r = rows.get(i);
            if (r == null || r.length != width) {
                throw new IllegalArgumentException("row " + i + " for table " + schema.qualifiedName() + " has "
                        + (r == null ? "no" : String.valueOf(r.length)) + " values, expected " + width);
            }
        }
    }

    /**
     * Writes rows inside a transaction the caller owns (autocommit off; the caller commits or rolls back), so
     * several writers and several chunks can share one transaction.
     *
     * @throws SinkWriteException classified, naming the rows of the failed statement; the caller must roll back
     */
    public void writeIn(Connection conn, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        checkWidths(rows);
        Progress progress = new Progress();
        try {
            writeChunks(conn, rows, progress);
        } catch (SQLException e) {
            throw SinkWriteException.of(schema.qualifiedName(), e, SinkWriteException.Outcome.ROLLED_BACK,
                    progress.from, progress.count, rows.size());
        }
    }

    /** Which rows the statement being executed holds, for error messages. */
    private static final class Progress {
        int from = -1;
        int count;
    }

    private void writeChunks(Connection conn, List<Object[]> rows, Progress progress) throws SQLException {
        long budget = statementBudget(conn);
        int n = rows.size();
        int pos = 0;
        PreparedStatement full = null;
        try {
            boolean surelyFits = maxRowBytes > 0 && maxRowBytes * rowsPerStatement <= budget;
            while (pos < n) {
                // as many rows as allowed, but keep the statement well within max_allowed_packet
                int count = surelyFits ? Math.min(rowsPerStatement, n - pos) : 0;
                long bytes = 0;
                while (!surelyFits && pos + count < n && count < rowsPerStatement) {
                    long est = estimateBytes(rows.get(pos + count));
                    if (count > 0 && bytes + est > budget) {
                        break;
                    }
                    bytes += est;
                    count++;
                }
                progress.from = pos;
                progress.count = count;
                if (count == 1 && bytes > budget) {
                    checkSingleRowFits(rows.get(pos), pos);
                }
                if (count == rowsPerStatement) {
                    if (full == null) {
                        full = conn.prepareStatement(fullChunkSql);
                    }
                    bindRows(full, rows, pos, count);
                    full.executeUpdate();
                } else {
                    try (PreparedStatement ps = conn.prepareStatement(sql(count))) {
                        bindRows(ps, rows, pos, count);
                        ps.executeUpdate();
                    }
                }
                pos += count;
            }
        } finally {
            if (full != null) {
                full.close();
            }
        }
        progress.from = -1;
    }

    /** Bytes one statement's values may take: 3/4 of the server's max_allowed_packet (read once, then cached). */
    private long statementBudget(Connection conn) throws SQLException {
        long max = maxAllowedPacket;
        if (max <= 0) {
            max = DEFAULT_MAX_ALLOWED_PACKET;
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@max_allowed_packet")) {
                if (rs.next() && rs.getLong(1) > 0) {
                    max = rs.getLong(1);
                }
            } catch (SQLException e) {
                if (SqlErrors.classify(e) == ErrorKind.RETRYABLE) {
                    throw e;
                }
                // server without the variable: keep the conservative default
            }
            maxAllowedPacket = max;
        }
        return Math.max(1024, max / 4 * 3 - head.length() - tail.length());
    }

    /**
     * A row too big for max_allowed_packet makes the server drop the connection mid-send, which the driver reports
     * as a plain socket error (looks retryable, but never succeeds): refuse such a row before sending it.
     */
    private void checkSingleRowFits(Object[] row, int index) throws SQLException {
        long exact = head.length() + tail.length() + 64;
        for (Object v : row) {
            if (v instanceof CharSequence cs) {
                exact += utf8EscapedLength(cs) + 3;
            } else if (v instanceof byte[] bytes) {
                exact += 2L * bytes.length + 10; // hex-escaped worst case
            } else {
                exact += 40;
            }
        }
        if (exact > maxAllowedPacket) {
            throw new SQLException("row " + index + " needs about " + exact + " bytes in the INSERT statement, more "
                    + "than the server's max_allowed_packet of " + maxAllowedPacket + " bytes", "HY000", 1153);
        }
    }

    private static long utf8EscapedLength(CharSequence cs) {
        long n = 0;
        for (int i = 0; i < cs.length(); i++) {
            char ch = cs.charAt(i);
            if (ch < 0x80) {
                n += (ch == '\'' || ch == '\\' || ch == '"' || ch == 0) ? 2 : 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Conservative size of a row inside the statement text (UTF-8 up to 3 bytes a char, escaping). */
    private static long estimateBytes(Object[] row) {
        long b = 2;
        for (Object v : row) {
            if (v instanceof CharSequence cs) {
                b += 3L * cs.length() + 3;
            } else if (v instanceof byte[] bytes) {
                b += 2L * bytes.length + 10;
            } else {
                b += 40;
            }
        }
        return b;
    }

    private void bindRows(PreparedStatement ps, List<Object[]> rows, int from, int count) throws SQLException {
        int idx = 1;
        int width = columns.size();
        for (int r = from; r < from + count; r++) {
            Object[] row = rows.get(r);
            for (int j = 0; j < width; j++) {
                bind(ps, idx++, row[j], columns.get(j));
            }
        }
    }

    /**
     * Binds one value. The common types go through their typed setters: {@code setObject} makes the MariaDB driver
     * search its codec list for the value's class on every call, which was the largest item of the writer threads
     * in a profile of the SLS link (BENCHMARKS.md); the typed setters pick the same codec directly.
     */
    private static void bind(PreparedStatement ps, int idx, Object v, Column c) throws SQLException {
        if (v == null) {
            ps.setNull(idx, c.jdbcType());
        } else if (v instanceof String text) {
            ps.setString(idx, text);
        } else if (v instanceof Long l) {
            ps.setLong(idx, l);
        } else if (v instanceof Integer i) {
            ps.setInt(idx, i);
        } else if (v instanceof BigDecimal d) {
            ps.setBigDecimal(idx, d);
        } else if (v instanceof Double d) {
            ps.setDouble(idx, d);
        } else if (v instanceof Boolean b) {
            ps.setBoolean(idx, b);
        } else if (v instanceof BigInteger bi) {
            ps.setBigDecimal(idx, new BigDecimal(bi));
        } else if (v instanceof Character ch) {
            ps.setString(idx, ch.toString());
        } else {
            ps.setObject(idx, v);
        }
    }

    /** Rolls back; a rollback failure is attached to {@code cause}. Returns whether the rollback succeeded. */
    private static boolean rollbackQuietly(Connection conn, Exception cause) {
        try {
            conn.rollback();
            return true;
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    /** The INSERT statement text for {@code rows} rows. */
    String sql(int rows) {
        StringBuilder sb = new StringBuilder(head.length() + rows * (rowPlaceholders.length() + 1) + tail.length());
        sb.append(head);
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(rowPlaceholders);
        }
        return sb.append(tail).toString();
    }

    /** Rows per statement actually used: min(maxRowsPerStatement, 65535 / columns). */
    public int rowsPerStatement() {
        return rowsPerStatement;
    }

    /** The resolved target columns, in row-value order. */
    public List<Column> targetColumns() {
        return columns;
    }

    public TableSchema schema() {
        return schema;
    }

    /** Backtick-quotes an identifier, doubling embedded backticks. */
    public static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }
}
