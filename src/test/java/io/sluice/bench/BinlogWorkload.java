package io.sluice.bench;

import io.sluice.testkit.TestServers;
import org.apache.kafka.connect.json.JsonConverter;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The binlog the MySQL-source benchmarks read: a 10-column table of the test kit's MariaDB and a mixed workload
 * (70% insert, 20% update, 10% delete) written with multi-row statements, 1,000 row changes per transaction, so
 * every statement's row count is known and the benchmark knows how many change events to wait for. Also writes a
 * Debezium offsets file that starts a reader at a given binlog position (with {@code snapshot.mode=recovery}: the
 * schema is read from the tables, the rows from the binlog), which is how the plain engine and a link read exactly
 * the same range.
 */
final class BinlogWorkload {

    static final String DATABASE = "benchcdc";
    static final String COLUMNS = "id, i, b, s1, s2, s3, d, t, f, w_ms";
    private static final int CHUNK = 1_000;

    /** A binlog file and position and the GTID position there (the start of the range a reader is pointed at). */
    record Position(String file, long pos, String gtids) {
    }

    private BinlogWorkload() {
    }

    /** Creates {@code benchcdc.<table>} (dropped first) with the benchmark's 10 columns. */
    static void createTable(String table) {
        TestServers.mariaDb().execute("CREATE DATABASE IF NOT EXISTS " + DATABASE + "; DROP TABLE IF EXISTS "
                + DATABASE + "." + table + "; CREATE TABLE " + DATABASE + "." + table + " (id BIGINT NOT NULL PRIMARY KEY, "
                + "i INT, b BIGINT, s1 VARCHAR(64), s2 VARCHAR(64), s3 VARCHAR(128), d DECIMAL(12,2), t DATETIME(3), "
                + "f TINYINT(1), w_ms BIGINT)");
    }

    /** The binlog position new changes are written at (after a rotation, so the range starts a fresh file). */
    static Position rotate() {
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement s = c.createStatement()) {
            s.execute("FLUSH BINARY LOGS");
            try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                String file = rs.getString(1);
                long pos = rs.getLong(2);
                try (ResultSet g = s.executeQuery("SELECT @@gtid_binlog_pos")) {
                    g.next();
                    return new Position(file, pos, g.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code changes} row changes (a multiple of 1,000) into the table: per 1,000, a 700-row INSERT of new ids,
     * an UPDATE of 200 of them and a DELETE of 100 others, in one transaction. Ids start at {@code firstId}.
     */
    static void mixed(String table, int changes, long firstId) {
        String t = DATABASE + "." + table;
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int chunk = 0; chunk < changes / CHUNK; chunk++) {
                long from = firstId + chunk * 700L;
                s.executeUpdate(insert(t, from, 700, 0));
                s.executeUpdate("UPDATE " + t + " SET i = i + 1, s2 = CONCAT('u-', id), d = d + 1 WHERE id >= " + from
                        + " AND id < " + (from + 200));
                s.executeUpdate("DELETE FROM " + t + " WHERE id >= " + (from + 600) + " AND id < " + (from + 700));
                c.commit();
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts {@code rows} new rows (ids from {@code from}), in statements of 1,000 rows, one transaction each. */
    static void inserts(String table, long from, int rows) {
        String t = DATABASE + "." + table;
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement s = c.createStatement()) {
            for (long id = from; id < from + rows; id += CHUNK) {
                s.executeUpdate(insert(t, id, (int) Math.min(CHUNK, from + rows - id), 0));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One multi-row INSERT of {@code rows} rows with ids from {@code from}; {@code wallMs} goes into w_ms. */
    static String insert(String table, long from, int rows, long wallMs) {
        StringBuilder sb = new StringBuilder(rows * 200).append("INSERT INTO ").append(table).append(" (")
                .append(COLUMNS).append(") VALUES ");
        for (long id = from; id < from + rows; id++) {
            sb.append(id == from ? "(" : ",(").append(id).append(',').append(id % 1000).append(',').append(id * 31)
                    .append(",'kind-").append(id % 17).append("','name ").append(id).append("','a somewhat longer text value ")
                    .append("of the kind a row carries, number ").append(id).append("',").append(BigDecimal.valueOf(id, 2))
                    .append(",'2024-01-02 03:04:05.").append(String.format("%03d", id % 1000)).append("',")
                    .append(id & 1).append(',').append(wallMs).append(')');
        }
        return sb.toString();
    }

    /**
     * Writes a {@code FileOffsetBackingStore} file in which the engine {@code engineName} (Debezium's {@code name})
     * reading server {@code serverName} ({@code topic.prefix}) stands at {@code start}: the Java-serialised map of
     * JSON key to JSON value that Kafka Connect's file store reads.
     */
    static void seedOffsets(Path file, String engineName, String serverName, Position start) throws IOException {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false", "converter.type", "key"));
        byte[] key = keys.fromConnectData("", null, Arrays.asList(engineName, Map.of("server", serverName)));
        byte[] value = ("{\"file\":\"" + start.file() + "\",\"pos\":" + start.pos() + ",\"gtids\":\"" + start.gtids()
                + "\"}").getBytes(StandardCharsets.UTF_8);
        HashMap<byte[], byte[]> raw = new HashMap<>();
        raw.put(key, value);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); ObjectOutputStream os = new ObjectOutputStream(out)) {
            os.writeObject(raw);
        }
    }
}
