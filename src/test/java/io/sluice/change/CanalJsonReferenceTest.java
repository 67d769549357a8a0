package io.sluice.change;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONWriter;
import com.alibaba.otter.canal.protocol.FlatMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The encoder against canal's own output ({@code shared/reference/canal-*.json}, copied to the test resources). */
class CanalJsonReferenceTest {

    private static final List<ChangeColumn> PRODUCTS = List.of(
            new ChangeColumn("id", MySqlType.of("BIGINT", 20, null, null), true, false),
            new ChangeColumn("name", MySqlType.of("VARCHAR", 255, null, null), false, true),
            new ChangeColumn("weight", MySqlType.of("DECIMAL", 10, 2, null), false, true),
            new ChangeColumn("created", MySqlType.of("DATETIME", 3, null, null), false, true),
            new ChangeColumn("note", MySqlType.of("VARCHAR", 64, null, null), false, true));

    @Test
    void insertIsByteForByteCanalsOutput() throws IOException {
        ChangeEvent insert = row(Operation.INSERT, null, products("5.15", null), 1704164645000L);
        assertEquals(reference("canal-insert.json"), encode(insert, 3, 1704164645123L));
    }

    @Test
    void ddlIsByteForByteCanalsOutput() throws IOException {
        ChangeEvent ddl = new ChangeEvent("test", "products", Operation.DDL, List.of(), null, null,
                "ALTER TABLE products ADD COLUMN c INT", position(1704164648000L));
        assertEquals(reference("canal-ddl.json"), encode(ddl, 6, 1704164648123L));
    }

    @Test
    void updateCarriesOnlyTheChangedColumnsInOld() throws IOException {
        ChangeEvent update = row(Operation.UPDATE, products("5.15", null), products("5.18", "n"), 1704164646000L);
        assertEquals(tree(reference("canal-update.json")), tree(encode(update, 4, 1704164646123L)));
    }

    @Test
    void deleteCarriesTheBeforeImageInData() throws IOException {
        ChangeEvent delete = row(Operation.DELETE, products("5.18", "n"), null, 1704164647000L);
        assertEquals(tree(reference("canal-delete.json")), tree(encode(delete, 5, 1704164647123L)));
    }

    /**
     * String values (and DDL text) containing what JSON escapes or may escape: the message is byte for byte what canal's
     * producer writes for the same message, fastjson2's {@code JSON.toJSONBytes(flatMessage, WriteNulls, LargeObject)}
     * ({@code reference/kafka-formats.md}): emoji as UTF-8, control characters as {@code \b \t \n \f \r} or
     * lower-case <code>&#92;u00xx</code>, DEL, {@code < / > & '} and other non-ASCII text as they are.
     */
    @Test
    void stringsAreByteForByteWhatCanalsFastjson2Writes() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        List<String> values = new ArrayList<>(List.of("😀", "a😀b🦀c", controls.toString(), "\u007f", "\"quoted\" \\ back\\",
                "<script>/x</script> & 'q'", "héllo ✓ 中文 \u0080\u009f \u2028\u2029 \ufffd", ""));
        for (char c = 0; c < 0x20; c++) {
            values.add("x" + c + "y");
        }
        CanalJsonEncoder encoder = new CanalJsonEncoder(ZoneOffset.UTC, Clock.fixed(Instant.ofEpochMilli(1704164645123L),
                ZoneOffset.UTC));
        for (String v : values) {
            // the message canal's producer would build for the same change, from the test's own values
            FlatMessage canal = message(3, "INSERT", "", 1704164645000L);
            Map<String, String> data = new LinkedHashMap<>();
            data.put("id", "1");
            data.put("name", "scooter");
            data.put("weight", "5.15");
            data.put("created", "2024-01-02 03:04:05.678");
            data.put("note", v);
            canal.setData(List.of(data));
            typed(canal, PRODUCTS);
            ChangeEvent insert = row(Operation.INSERT, null, products("5.15", v), 1704164645000L);
            assertEquals(canalBytes(canal), new String(encoder.encode(insert, 3), StandardCharsets.UTF_8),
                    "value " + escaped(v));

            String sql = "ALTER TABLE products COMMENT '" + v + "'";
            ChangeEvent ddl = new ChangeEvent("test", "products", Operation.DDL, List.of(), null, null, sql,
                    position(1704164648000L));
            assertEquals(canalBytes(message(6, "ALTER", sql, 1704164648000L)),
                    new String(encoder.encode(ddl, 6), StandardCharsets.UTF_8), "DDL with " + escaped(v));
        }
    }

    /**
     * Column names (which MySQL allows to hold any character but NUL, quoted) written as fastjson2 writes map keys:
     * the names are serialised once per table, outside the generator, so they must get the generator's escaping.
     */
    @Test
    void columnNamesAreByteForByteWhatCanalsFastjson2Writes() {
        List<String> names = new ArrayList<>(List.of("😀", "a😀b", "\"q\" \\", "héllo ✓ 中文", "\u007f"));
        for (char c = 1; c < 0x20; c++) {
            names.add("n" + c);
        }
        for (String name : names) {
            List<ChangeColumn> columns = List.of(new ChangeColumn("id", MySqlType.of("BIGINT", 20, null, null), true, false),
                    new ChangeColumn(name, MySqlType.of("VARCHAR", 10, null, null), false, true));
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("id", 1L);
            after.put(name, "v");
            ChangeEvent insert = new ChangeEvent("test", "products", Operation.INSERT, columns, null, after, null,
                    position(1704164645000L));

            FlatMessage canal = message(3, "INSERT", "", 1704164645000L);
            Map<String, String> data = new LinkedHashMap<>();
            data.put("id", "1");
            data.put(name, "v");
            canal.setData(List.of(data));
            typed(canal, columns);
            assertEquals(canalBytes(canal), encode(insert, 3, 1704164645123L), "column " + escaped(name));
        }
    }

    /** Canal's column types of a row message, and its key {@code id}. */
    private static void typed(FlatMessage canal, List<ChangeColumn> columns) {
        Map<String, String> mysqlType = new LinkedHashMap<>();
        Map<String, Integer> sqlType = new LinkedHashMap<>();
        for (ChangeColumn c : columns) {
            mysqlType.put(c.name(), c.mysqlType());
            sqlType.put(c.name(), c.jdbcType());
        }
        canal.setMysqlType(mysqlType);
        canal.setSqlType(sqlType);
        canal.setPkNames(List.of("id"));
    }

    /** A FlatMessage of test.products as canal fills it; row messages get their data and types from the caller. */
    private static FlatMessage message(long id, String type, String sql, long es) {
        FlatMessage m = new FlatMessage(id);
        m.setDatabase("test");
        m.setTable("products");
        m.setIsDdl(type.equals("ALTER"));
        m.setType(type);
        m.setSql(sql);
        m.setEs(es);
        m.setTs(1704164645123L);
        m.setGtid("");
        return m;
    }

    private static String canalBytes(FlatMessage message) {
        return new String(JSON.toJSONBytes(message, JSONWriter.Feature.WriteNulls, JSONWriter.Feature.LargeObject),
                StandardCharsets.UTF_8);
    }

    /** A value readable in a failure message: every char outside printable ASCII as <code>&#92;uxxxx</code>. */
    private static String escaped(String v) {
        StringBuilder sb = new StringBuilder();
        v.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return sb.toString();
    }

    @Test
    void ddlKinds() {
        assertEquals("CREATE", CanalJsonEncoder.ddlType("/* c */ create table t (id int)"));
        assertEquals("ERASE", CanalJsonEncoder.ddlType("DROP TABLE IF EXISTS `t`"));
        assertEquals("RENAME", CanalJsonEncoder.ddlType("RENAME TABLE a TO b"));
        assertEquals("CINDEX", CanalJsonEncoder.ddlType("CREATE UNIQUE INDEX i ON t (a)"));
        assertEquals("DINDEX", CanalJsonEncoder.ddlType("DROP INDEX i ON t"));
        assertEquals("TRUNCATE", CanalJsonEncoder.ddlType("TRUNCATE TABLE t"));
        assertEquals("QUERY", CanalJsonEncoder.ddlType("CREATE DATABASE d"));
    }

    private static Map<String, Object> products(String weight, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("name", "scooter");
        row.put("weight", new BigDecimal(weight));
        row.put("created", LocalDateTime.parse("2024-01-02T03:04:05.678"));
        row.put("note", note);
        return row;
    }

    private static ChangeEvent row(Operation op, Map<String, Object> before, Map<String, Object> after, long es) {
        return new ChangeEvent("test", "products", op, PRODUCTS, before, after, null, position(es));
    }

    private static SourcePosition position(long es) {
        return new SourcePosition("mysql-bin.000001", 4, 0, null, 1, null, es, false);
    }

    private static String encode(ChangeEvent e, long batchId, long ts) {
        CanalJsonEncoder encoder = new CanalJsonEncoder(ZoneOffset.UTC, Clock.fixed(Instant.ofEpochMilli(ts), ZoneOffset.UTC));
        return new String(encoder.encode(e, batchId), StandardCharsets.UTF_8);
    }

    private static String reference(String name) throws IOException {
        try (var in = CanalJsonReferenceTest.class.getResourceAsStream("canal/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static Object tree(String json) throws IOException {
        return new ObjectMapper().readTree(json);
    }
}
