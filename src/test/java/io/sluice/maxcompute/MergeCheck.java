package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.data.Record;
import io.sluice.testkit.TestServers;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Seed 003's merge run over what a link wrote: a table's {@code _base} and {@code _log} are read back from the local
 * MaxCompute server (which does not run SELECTs) with the SDK's download session, copied into MariaDB tables of the
 * same names, columns and types, and the SELECT of the merge script Sluice gives (everything between
 * {@code insert overwrite table ...} and the final {@code ;}, unchanged) runs there.
 */
public final class MergeCheck {

    private MergeCheck() {
    }

    /** The rows of the merge {@code script} (as GET /api/links/{id}/merge-sql gives it) over {@code table}'s tables. */
    public static List<String> merge(String script, String table) throws Exception {
        String db = "mc_check_" + table.toLowerCase(Locale.ROOT);
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0"); // not for the binlog readers of the links under test
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db);
            c.setCatalog(db);
            copy(c, table + "_base");
            copy(c, table + "_log");
        }
        String[] lines = script.split("\n", 3);
        if (!lines[0].startsWith("set odps.sql.allow.fullscan=true;") || !lines[1].startsWith("insert overwrite table ")
                || !lines[2].endsWith(";")) {
            throw new AssertionError("not a merge script: " + script);
        }
        return rows(db, lines[2].substring(0, lines[2].length() - 1));
    }

    /** Rows of a query as {@code c1|c2|...} (NULL as null), sorted. */
    static List<String> rows(String catalog, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestServers.mariaDb().adminConnection()) {
            c.setCatalog(catalog);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    out.add(sb.toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The source table's content in the same form, {@code columns} in the merge's order. */
    public static List<String> source(String db, String table, List<String> columns) throws Exception {
        return rows(db, "select " + columns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "))
                + " from `" + table + "`");
    }

    private static void copy(Connection c, String table) throws Exception {
        var mc = McTables.target().odps().tables().get(table);
        List<Column> columns = mc.getSchema().getColumns();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE `" + table + "` (" + columns.stream()
                    .map(x -> "`" + x.getName() + "` " + mariaDbType(x.getTypeInfo().getTypeName()))
                    .collect(Collectors.joining(", ")) + ")");
        }
        List<Record> records = mc.isPartitioned() ? McTables.readAllPartitions(table) : McTables.read(table, null);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO `" + table + "` VALUES ("
                + columns.stream().map(x -> "?").collect(Collectors.joining(", ")) + ")")) {
            for (Record r : records) {
                for (int i = 0; i < columns.size(); i++) {
                    Object v = r.get(columns.get(i).getName());
                    ps.setObject(i + 1, v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                            : v == null || v instanceof Number ? v : v.toString());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String mariaDbType(String mcType) {
        String t = mcType.toUpperCase(Locale.ROOT);
        return switch (t) {
            case "STRING", "JSON" -> "LONGTEXT";
            case "BINARY" -> "LONGBLOB";
            case "DATETIME" -> "DATETIME(3)";
            case "TIMESTAMP", "TIMESTAMP_NTZ" -> "DATETIME(6)";
            default -> t; // BIGINT, INT, SMALLINT, TINYINT, BOOLEAN, FLOAT, DOUBLE, DECIMAL(p,s), VARCHAR(n), CHAR(n), DATE
        };
    }
}
