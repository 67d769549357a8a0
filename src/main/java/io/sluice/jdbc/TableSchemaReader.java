package io.sluice.jdbc;

import io.sluice.record.Column;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a destination table's columns and primary key from information_schema (MySQL, MariaDB, AnalyticDB for
 * MySQL).
 *
 * <p>Column mapping:
 * <ul>
 *   <li>typeName: DATA_TYPE upper-cased, with " UNSIGNED" for unsigned numeric types ("INT UNSIGNED");
 *       "JSON" for MySQL json columns and for MariaDB LONGTEXT columns guarded by a json_valid(`col`) CHECK.</li>
 *   <li>jdbcType: see {@link #jdbcType(String, String)}; TINYINT(1) maps to {@link Types#BOOLEAN} (typeName stays
 *       "TINYINT", size 1).</li>
 *   <li>size: CHARACTER_MAXIMUM_LENGTH for character/binary types (capped at Integer.MAX_VALUE), NUMERIC_PRECISION
 *       for numbers, DATETIME_PRECISION (fractional-second digits) for temporal types, 0 otherwise.</li>
 *   <li>scale: NUMERIC_SCALE, 0 when absent.</li>
 *   <li>hasDefault: the column has an explicit non-NULL default (MariaDB's literal "NULL" default does not count;
 *       a nullable column can be omitted anyway).</li>
 * </ul>
 */
public final class TableSchemaReader {

    private static final String COLUMNS_SQL =
            "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE,"
                    + " DATETIME_PRECISION, IS_NULLABLE, COLUMN_DEFAULT, EXTRA"
                    + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                    + " ORDER BY ORDINAL_POSITION";
    private static final String PK_KCU_SQL =
            "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'"
                    + " ORDER BY ORDINAL_POSITION";
    private static final String PK_STATISTICS_SQL =
            "SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY'"
                    + " ORDER BY SEQ_IN_INDEX";
    private static final String CHECKS_SQL =
            "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?";
    private static final Pattern JSON_VALID =
            Pattern.compile("json_valid\\s*\\(\\s*`((?:[^`]|``)+)`\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TINYINT_1 = Pattern.compile("^tinyint\\(1\\)(\\s|$)", Pattern.CASE_INSENSITIVE);

    private TableSchemaReader() {
    }

    /**
     * Reads {@code database.table}.
     *
     * @throws TableNotFoundException if the table does not exist (or the account cannot see it)
     * @throws SQLException           on any database error
     */
    public static TableSchema read(Connection conn, String database, String table) throws SQLException {
        List<String[]> raw = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        boolean anyLongText = false;
        try (PreparedStatement ps = conn.prepareStatement(COLUMNS_SQL)) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString("COLUMN_NAME");
                    String dataType = lower(rs.getString("DATA_TYPE"));
                    String columnType = lower(rs.getString("COLUMN_TYPE"));
                    long charLen = rs.getLong("CHARACTER_MAXIMUM_LENGTH");
                    boolean charLenNull = rs.wasNull();
                    long precision = rs.getLong("NUMERIC_PRECISION");
                    boolean precisionNull = rs.wasNull();
                    int scale = rs.getInt("NUMERIC_SCALE");
                    int dtPrecision = rs.getInt("DATETIME_PRECISION");
                    boolean dtPrecisionNull = rs.wasNull();
                    boolean nullable = "YES".equalsIgnoreCase(rs.getString("IS_NULLABLE"));
                    String def = rs.getString("COLUMN_DEFAULT");
                    String extra = lower(rs.getString("EXTRA"));

                    boolean unsigned = columnType.contains("unsigned");
                    boolean bool = dataType.equals("tinyint") && TINYINT_1.matcher(columnType).find() && !unsigned;
                    int jdbcType = bool ? Types.BOOLEAN : jdbcType(dataType, columnType);
                    String typeName = dataType.toUpperCase(Locale.ROOT);
                    if (unsigned && isNumeric(dataType)) {
                        typeName += " UNSIGNED";
                    }
                    int size;
                    if (bool) {
                        size = 1;
                    } else if (isTemporal(dataType)) {
                        size = dtPrecisionNull ? 0 : dtPrecision;
                    } else if (!charLenNull) {
                        size = (int) Math.min(charLen, Integer.MAX_VALUE);
                    } else if (!precisionNull) {
                        size = (int) Math.min(precision, Integer.MAX_VALUE);
                    } else {
                        size = 0;
                    }
                    boolean hasDefault = def != null && !def.equalsIgnoreCase("NULL");
                    boolean autoIncrement = extra.contains("auto_increment");
                    anyLongText |= dataType.equals("longtext");
                    columns.add(new Column(name, jdbcType, typeName, size, scale, nullable, hasDefault,
                            autoIncrement, unsigned && isNumeric(dataType)));
                    raw.add(new String[]{name, dataType});
                }
            }
        }
        if (columns.isEmpty()) {
            throw new TableNotFoundException(database, table);
        }
        if (anyLongText) {
            Set<String> jsonColumns = mariaDbJsonColumns(conn, database, table);
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                if (raw.get(i)[1].equals("longtext") && jsonColumns.contains(c.name().toLowerCase(Locale.ROOT))) {
                    columns.set(i, new Column(c.name(), c.jdbcType(), "JSON", c.size(), c.scale(), c.nullable(),
                            c.hasDefault(), c.autoIncrement(), c.unsigned()));
                }
            }
        }
        return new TableSchema(database, table, columns, primaryKey(conn, database, table));
    }

    private static List<String> primaryKey(Connection conn, String database, String table) throws SQLException {
        List<String> pk;
        try {
            pk = names(conn, PK_KCU_SQL, database, table);
        } catch (SQLException e) {
            if (SqlErrors.classify(e) == ErrorKind.RETRYABLE) {
                throw e;
            }
            pk = List.of(); // some MySQL-compatible servers lack KEY_COLUMN_USAGE: fall back to STATISTICS
        }
        if (pk.isEmpty()) {
            pk = names(conn, PK_STATISTICS_SQL, database, table);
        }
        return pk;
    }

    private static List<String> names(Connection conn, String sql, String database, String table)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Lower-cased names of columns with a json_valid(`col`) CHECK; empty where CHECK_CONSTRAINTS is unsupported. */
    private static Set<String> mariaDbJsonColumns(Connection conn, String database, String table)
            throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(CHECKS_SQL)) {
            ps.setString(1, database);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String clause = rs.getString(1);
                    if (clause == null) {
                        continue;
                    }
                    Matcher m = JSON_VALID.matcher(clause);
                    while (m.find()) {
                        out.add(m.group(1).replace("``", "`").toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (SQLException e) {
            // MySQL's CHECK_CONSTRAINTS has no TABLE_NAME (and MySQL has a real JSON type); others may lack the table.
            if (SqlErrors.classify(e) == ErrorKind.RETRYABLE) {
                throw e;
            }
        }
        return out;
    }

    /** java.sql.Types for an information_schema DATA_TYPE (lower case). */
    static int jdbcType(String dataType, String columnType) {
        switch (dataType) {
            case "tinyint": return Types.TINYINT;
            case "smallint": return Types.SMALLINT;
            case "mediumint": case "int": case "integer": return Types.INTEGER;
            case "bigint": return Types.BIGINT;
            case "decimal": case "numeric": case "fixed": return Types.DECIMAL;
            case "float": return Types.REAL;
            case "double": case "double precision": case "real": return Types.DOUBLE;
            case "bit": return columnType.equals("bit(1)") ? Types.BIT : Types.BINARY;
            case "bool": case "boolean": return Types.BOOLEAN;
            case "char": return Types.CHAR;
            case "varchar": return Types.VARCHAR;
            case "tinytext": case "text": case "mediumtext": case "longtext": case "json": return Types.LONGVARCHAR;
            case "enum": case "set": return Types.CHAR;
            case "binary": return Types.BINARY;
            case "varbinary": return Types.VARBINARY;
            case "tinyblob": case "blob": case "mediumblob": case "longblob": return Types.LONGVARBINARY;
            case "date": return Types.DATE;
            case "datetime": case "timestamp": return Types.TIMESTAMP;
            case "time": return Types.TIME;
            case "year": return Types.SMALLINT;
            case "uuid": case "inet4": case "inet6": return Types.VARCHAR;
            default: return Types.OTHER;
        }
    }

    private static boolean isNumeric(String dataType) {
        switch (dataType) {
            case "tinyint": case "smallint": case "mediumint": case "int": case "integer": case "bigint":
            case "decimal": case "numeric": case "fixed": case "float": case "double": case "double precision":
            case "real":
                return true;
            default:
                return false;
        }
    }

    private static boolean isTemporal(String dataType) {
        return dataType.equals("datetime") || dataType.equals("timestamp") || dataType.equals("time")
                || dataType.equals("date");
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).trim();
    }
}
