package io.sluice.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchWriterTest {

    static MariaDbServer server;
    static DataSource ds;

    static final List<String> COLS = List.of("id", "tenant", "amount", "name", "note", "created_at", "day",
            "active", "payload", "big", "ratio", "blob_col");

    @BeforeAll
    static void start() throws Exception {
        server = MariaDbServer.start();
        server.exec("DROP DATABASE IF EXISTS shop", "CREATE DATABASE shop");
        ds = server.rootDataSource("shop");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshTables() throws Exception {
        server.exec("DROP TABLE IF EXISTS shop.orders",
                "CREATE TABLE shop.orders ("
                        + " id BIGINT UNSIGNED NOT NULL,"
                        + " tenant INT UNSIGNED NOT NULL,"
                        + " amount DECIMAL(12,2),"
                        + " name VARCHAR(64) NOT NULL,"
                        + " note TEXT,"
                        + " created_at DATETIME(3) NOT NULL,"
                        + " day DATE,"
                        + " active TINYINT(1) NOT NULL DEFAULT 1,"
                        + " payload JSON,"
                        + " big BIGINT UNSIGNED,"
                        + " ratio DOUBLE,"
                        + " blob_col VARBINARY(16),"
                        + " status VARCHAR(16) NOT NULL DEFAULT 'new',"
                        + " PRIMARY KEY (id, tenant))");
    }

    static TableSchema schema(String table) throws Exception {
        try (Connection c = ds.getConnection()) {
            return TableSchemaReader.read(c, "shop", table);
        }
    }

    static Object[] row(long id, String suffix) {
        return new Object[]{
                BigInteger.valueOf(id), id % 7L, new BigDecimal(id + ".25"), "name-" + id + suffix,
                id % 3 == 0 ? null : "note " + suffix, LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_000_000),
                LocalDate.of(2024, 1, 1).plusDays(id % 365), id % 2 == 0, "{\"k\":" + id + "}",
                new BigInteger("18446744073709551615"), id / 3.0, ("b" + id).getBytes(StandardCharsets.UTF_8)};
    }

    static long count(String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM shop.`" + table + "`")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<Object[]> rows(int from, int toExclusive, String suffix) {
        return IntStream.range(from, toExclusive).mapToObj(i -> row(i, suffix)).collect(Collectors.toList());
    }

    @Test
    void upsertWritesInChunksThenUpdatesTheSameKeys() throws Exception {
        BatchWriter w = new BatchWriter(ds, schema("orders"), COLS, WriteMode.UPSERT, 1000);
        assertEquals(1000, w.rowsPerStatement());
        w.write(rows(0, 2500, ""));
        assertEquals(2500, count("orders"));

        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, tenant, amount, name, note, created_at, day, active, "
                     + "payload, big, ratio, blob_col, status FROM shop.orders WHERE id = 1234")) {
            assertTrue(rs.next());
            assertEquals(1234L, rs.getLong("id"));
            assertEquals(1234L % 7, rs.getLong("tenant"));
            assertEquals(new BigDecimal("1234.25"), rs.getBigDecimal("amount"));
            assertEquals("name-1234", rs.getString("name"));
            assertEquals("note ", rs.getString("note"));
            assertEquals(LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_000_000),
                    rs.getObject("created_at", LocalDateTime.class));
            assertEquals(LocalDate.of(2024, 1, 1).plusDays(1234 % 365), rs.getObject("day", LocalDate.class));
            assertTrue(rs.getBoolean("active"));
            assertEquals("{\"k\":1234}", rs.getString("payload"));
            assertEquals(new BigDecimal("18446744073709551615"), rs.getBigDecimal("big"));
            assertEquals(1234 / 3.0, rs.getDouble("ratio"), 1e-9);
            assertArrayEquals("b1234".getBytes(StandardCharsets.UTF_8), rs.getBytes("blob_col"));
            assertEquals("new", rs.getString("status"), "column not written keeps its default");
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM shop.orders WHERE id = 3")) {
            assertTrue(rs.next());
            assertNull(rs.getString(1));
        }

        // same keys, changed values
        w.write(rows(0, 2500, "-v2"));
        assertEquals(2500, count("orders"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM shop.orders WHERE name LIKE '%-v2'")) {
            rs.next();
            assertEquals(2500, rs.getLong(1));
        }
    }

    @Test
    void upsertSqlUpdatesOnlyNonKeyColumns() throws Exception {
        BatchWriter w = new BatchWriter(ds, schema("orders"), List.of("id", "tenant", "name"), WriteMode.UPSERT);
        assertEquals(BatchWriter.DEFAULT_MAX_ROWS_PER_STATEMENT, w.rowsPerStatement());
        assertEquals("INSERT INTO `shop`.`orders` (`id`,`tenant`,`name`) VALUES (?,?,?),(?,?,?)"
                + " ON DUPLICATE KEY UPDATE `name`=VALUES(`name`)", w.sql(2));
    }

    @Test
    void upsertOfOnlyKeyColumnsBecomesInsertIgnore() throws Exception {
        server.exec("DROP TABLE IF EXISTS shop.tags",
                "CREATE TABLE shop.tags (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))");
        BatchWriter w = new BatchWriter(ds, schema("tags"), List.of("b", "a"), WriteMode.UPSERT);
        assertEquals("INSERT IGNORE INTO `shop`.`tags` (`b`,`a`) VALUES (?,?)", w.sql(1));
        w.write(List.of(new Object[]{1, 2}, new Object[]{3, 4}));
        w.write(List.of(new Object[]{1, 2}, new Object[]{5, 6}));
        assertEquals(3, count("tags"));
    }

    @Test
    void insertIgnoreSkipsExistingKeysAndKeepsTheirValues() throws Exception {
        BatchWriter w = new BatchWriter(ds, schema("orders"), COLS, WriteMode.INSERT_IGNORE, 100);
        assertTrue(w.sql(1).startsWith("INSERT IGNORE INTO `shop`.`orders`"));
        assertFalse(w.sql(1).contains("ON DUPLICATE"));
        w.write(rows(0, 150, "-first"));
        w.write(rows(100, 300, "-second"));
        assertEquals(300, count("orders"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SUM(name LIKE '%-first'), SUM(name LIKE '%-second') "
                     + "FROM shop.orders")) {
            rs.next();
            assertEquals(150, rs.getLong(1));
            assertEquals(150, rs.getLong(2));
        }
    }

    @Test
    void plainInsertOfADuplicateKeyIsADataErrorAndRollsBack() throws Exception {
        BatchWriter w = new BatchWriter(ds, schema("orders"), COLS, WriteMode.INSERT, 50);
        w.write(rows(0, 10, ""));
        SinkWriteException e = assertThrows(SinkWriteException.class, () -> w.write(rows(5, 200, "")));
        assertEquals(ErrorKind.DATA, e.kind());
        assertEquals(1062, e.errorCode());
        assertEquals(10, count("orders"));
    }

    @Test
    void oneBadRowRollsBackTheWholeBatch() throws Exception {
        BatchWriter w = new BatchWriter(ds, schema("orders"), COLS, WriteMode.UPSERT, 1000);
        w.write(rows(0, 5, "")); // committed earlier, must survive
        List<Object[]> batch = rows(100, 1600, "");
        batch.get(1200)[3] = "x".repeat(65); // VARCHAR(64), strict mode; in the second statement
        SinkWriteException e = assertThrows(SinkWriteException.class, () -> w.write(batch));
        assertEquals(ErrorKind.DATA, e.kind());
        assertEquals(1406, e.errorCode());
        assertFalse(e.isRetryable());
        assertTrue(e.getMessage().contains("shop.orders"), e.getMessage());
        assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
        assertTrue(e.getMessage().contains("Data too long"), e.getMessage());
        assertEquals(5, count("orders"), "nothing of the failed batch may remain");
        assertEquals(1000, e.failedRowFrom());
        assertEquals(500, e.failedRowCount());
        System.out.println("[message] " + e.getMessage());

        // the writer stays usable after a failure
        batch.get(1200)[3] = "fixed";
        w.write(batch);
        assertEquals(1505, count("orders"));
    }

    @Test
    void wrongValueIsADataError() throws Exception {
        BatchWriter w = new BatchWriter(ds, schema("orders"), COLS, WriteMode.UPSERT);
        List<Object[]> batch = rows(0, 3, "");
        batch.get(1)[8] = "{not json"; // JSON column checked by json_valid
        SinkWriteException e = assertThrows(SinkWriteException.class, () -> w.write(batch));
        assertEquals(ErrorKind.DATA, e.kind(), e.getMessage());
        List<Object[]> batch2 = rows(0, 3, "");
        batch2.get(2)[1] = -1L; // INT UNSIGNED out of range
        assertEquals(ErrorKind.DATA, assertThrows(SinkWriteException.class, () -> w.write(batch2)).kind());
        assertEquals(0, count("orders"));
    }

    @Test
    void rowsPerStatementRespectsThePlaceholderLimit() throws Exception {
        int n = 70;
        StringBuilder ddl = new StringBuilder("CREATE TABLE shop.wide (c0 INT NOT NULL PRIMARY KEY");
        List<String> cols = new ArrayList<>(List.of("c0"));
        for (int i = 1; i < n; i++) {
            ddl.append(", c").append(i).append(" INT");
            cols.add("c" + i);
        }
        server.exec("DROP TABLE IF EXISTS shop.wide", ddl.append(")").toString());
        BatchWriter w = new BatchWriter(ds, schema("wide"), cols, WriteMode.UPSERT, 5000);
        assertEquals(65535 / n, w.rowsPerStatement());
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 2000; r++) {
            Object[] v = new Object[n];
            Arrays.fill(v, r);
            rows.add(v);
        }
        w.write(rows);
        assertEquals(2000, count("wide"));
    }

    @Test
    void identifiersWithBackticksAreQuoted() throws Exception {
        server.exec("DROP TABLE IF EXISTS shop.`odd``table`",
                "CREATE TABLE shop.`odd``table` (`we``ird` INT PRIMARY KEY, `select` VARCHAR(5))");
        TableSchema s = schema("odd`table");
        BatchWriter w = new BatchWriter(ds, s, List.of("we`ird", "select"), WriteMode.UPSERT);
        assertEquals("INSERT INTO `shop`.`odd``table` (`we``ird`,`select`) VALUES (?,?)"
                + " ON DUPLICATE KEY UPDATE `select`=VALUES(`select`)", w.sql(1));
        w.write(List.<Object[]>of(new Object[]{1, "a"}, new Object[]{2, null}));
        w.write(List.<Object[]>of(new Object[]{1, "b"}));
        assertEquals(2, count("odd``table"));
    }

    @Test
    void badConfigurationIsRejectedUpFront() throws Exception {
        TableSchema s = schema("orders");
        assertThrows(IllegalArgumentException.class,
                () -> new BatchWriter(ds, s, List.of("id", "nope"), WriteMode.UPSERT));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchWriter(ds, s, List.of("id", "ID"), WriteMode.UPSERT));
        assertThrows(IllegalArgumentException.class, () -> new BatchWriter(ds, s, List.of(), WriteMode.UPSERT));
        assertThrows(IllegalArgumentException.class,
                () -> new BatchWriter(ds, s, List.of("id"), WriteMode.UPSERT, 0));
        BatchWriter w = new BatchWriter(ds, s, List.of("id", "tenant"), WriteMode.UPSERT);
        assertThrows(IllegalArgumentException.class, () -> w.write(List.<Object[]>of(new Object[]{1})));
        w.write(List.of()); // no-op
        assertEquals(0, count("orders"));
    }

    @Test
    void wideRowsMakeShorterStatementsInsteadOfExceedingMaxAllowedPacket() throws Exception {
        server.exec("DROP TABLE IF EXISTS shop.docs", "CREATE TABLE shop.docs (id INT PRIMARY KEY, body MEDIUMTEXT)");
        long original;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@global.max_allowed_packet")) {
            rs.next();
            original = rs.getLong(1);
        }
        server.exec("SET GLOBAL max_allowed_packet = 1048576"); // 1 MiB, for new connections
        try {
            BatchWriter w = new BatchWriter(ds, schema("docs"), List.of("id", "body"), WriteMode.UPSERT, 1000);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                rows.add(new Object[]{i, "x".repeat(3000)}); // ~3 MB in total, 3 KB a row
            }
            w.write(rows);
            assertEquals(1000, count("docs"));

            // one row bigger than max_allowed_packet: not retryable, and the message says what to change
            SinkWriteException e = assertThrows(SinkWriteException.class,
                    () -> w.write(List.<Object[]>of(new Object[]{5000, "y".repeat(2_000_000)})));
            assertEquals(ErrorKind.DATA, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("max_allowed_packet"), e.getMessage());
            System.out.println("[message] " + e.getMessage());
            assertEquals(1000, count("docs"));
        } finally {
            server.exec("SET GLOBAL max_allowed_packet = " + original);
        }
    }

    @Test
    void writeModeParsing() {
        assertEquals(WriteMode.UPSERT, WriteMode.parse("upsert"));
        assertEquals(WriteMode.INSERT, WriteMode.parse("INSERT"));
        assertEquals(WriteMode.INSERT_IGNORE, WriteMode.parse("insert-ignore"));
        assertEquals(WriteMode.INSERT_IGNORE, WriteMode.parse(" insert_ignore "));
        assertEquals("insert-ignore", WriteMode.INSERT_IGNORE.configName());
        assertThrows(IllegalArgumentException.class, () -> WriteMode.parse("replace"));
        assertThrows(IllegalArgumentException.class, () -> WriteMode.parse(null));
    }
}
