package io.sluice.change;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
