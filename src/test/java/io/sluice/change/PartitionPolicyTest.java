package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DTS's partition policies and the topic mapping, with the hashes spelled out as kafka-formats.md defines them. */
class PartitionPolicyTest {

    private static final List<ChangeColumn> COLUMNS = List.of(
            new ChangeColumn("tenant", MySqlType.of("INT", 11, null, null), true, false),
            new ChangeColumn("id", MySqlType.of("BIGINT UNSIGNED", 20, null, null), true, false),
            new ChangeColumn("note", MySqlType.of("VARCHAR", 64, null, null), false, true));

    @Test
    void allToZero() {
        assertEquals(0, PartitionPolicy.ALL_TO_ZERO.partition(row(Operation.INSERT, 7, "1"), 12));
        assertEquals(0, PartitionPolicy.ALL_TO_ZERO.partition(ddl("orders"), 12));
    }

    @Test
    void byTableHashesDatabasePlusTableAndKeepsTheTablesDdlWithIt() {
        int expected = Math.abs(("shop" + "orders").hashCode() % 12);
        assertEquals(expected, PartitionPolicy.BY_TABLE.partition(row(Operation.INSERT, 7, "1"), 12));
        assertEquals(expected, PartitionPolicy.BY_TABLE.partition(ddl("orders"), 12));
        assertEquals(0, PartitionPolicy.BY_TABLE.partition(ddl(""), 12), "database-level DDL");
    }

    @Test
    void byPrimaryKeyHashesTheKeyValuesText() {
        String huge = BigInteger.TWO.pow(64).subtract(BigInteger.ONE).toString();
        int expected = Math.abs(("7" + huge).hashCode() % 12);
        assertEquals(expected, PartitionPolicy.BY_PRIMARY_KEY.partition(row(Operation.INSERT, 7, huge), 12));
        assertEquals(expected, PartitionPolicy.BY_PRIMARY_KEY.partition(row(Operation.DELETE, 7, huge), 12), "DELETE hashes its before image");
        assertEquals(Math.abs("hello".hashCode() % 12),
                PartitionPolicy.BY_PRIMARY_KEY.partition(row(Operation.UPDATE, 7, huge), 12, List.of("note")), "chosen partition-key columns");
        assertEquals(0, PartitionPolicy.BY_PRIMARY_KEY.partition(ddl("orders"), 12));
        ChangeEvent keyless = new ChangeEvent("shop", "log", Operation.INSERT,
                List.of(new ChangeColumn("note", MySqlType.of("VARCHAR", 64, null, null), false, true)),
                null, Map.of("note", "x"), null, position());
        int byTable = Math.abs(("shop" + "log").hashCode() % 12);
        assertEquals(2, byTable, "a table whose partition is not 0, or the check below proves nothing");
        assertEquals(byTable, PartitionPolicy.BY_PRIMARY_KEY.partition(keyless, 12), "a table without a key: by table");
        assertEquals(Math.abs("x".hashCode() % 12), PartitionPolicy.BY_PRIMARY_KEY.partition(keyless, 12, List.of("note")),
                "a table without a key whose partition-key columns were chosen: by those");
    }

    @Test
    void aHashOfIntegerMinValueStillLandsInRange() {
        // "polygenelubricants".hashCode() == Integer.MIN_VALUE: Math.abs(hash) would be negative
        ChangeEvent e = new ChangeEvent("", "polygenelubricants", Operation.INSERT, COLUMNS, null, values(1, "1"), null, position());
        assertEquals(Integer.MIN_VALUE, "polygenelubricants".hashCode());
        assertEquals(Math.abs(Integer.MIN_VALUE % 7), PartitionPolicy.BY_TABLE.partition(e, 7));
        assertThrows(IllegalArgumentException.class, () -> PartitionPolicy.BY_TABLE.partition(e, 0));
    }

    @Test
    void topicMapping() {
        TopicMapping mapping = new TopicMapping("all", "ddl", Map.of("shop.orders", "orders"));
        assertEquals("orders", mapping.topicFor(row(Operation.INSERT, 1, "1")));
        assertEquals("ddl", mapping.topicFor(ddl("orders")));
        assertEquals("all", mapping.topicFor(new ChangeEvent("shop", "other", Operation.DELETE, COLUMNS, values(1, "1"), null, null, position())));
        assertEquals("all", TopicMapping.single("all").topicFor(ddl("orders")), "DDL goes with the data without a DDL topic");
    }

    private static ChangeEvent row(Operation op, long tenant, String id) {
        Map<String, Object> v = values(tenant, id);
        return switch (op) {
            case DELETE -> new ChangeEvent("shop", "orders", op, COLUMNS, v, null, null, position());
            case UPDATE -> new ChangeEvent("shop", "orders", op, COLUMNS, v, v, null, position());
            default -> new ChangeEvent("shop", "orders", op, COLUMNS, null, v, null, position());
        };
    }

    private static Map<String, Object> values(long tenant, String id) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("tenant", tenant);
        v.put("id", new BigInteger(id));
        v.put("note", "hello");
        return v;
    }

    private static ChangeEvent ddl(String table) {
        return new ChangeEvent("shop", table, Operation.DDL, List.of(), null, null, "ALTER TABLE x ADD c INT", position());
    }

    private static SourcePosition position() {
        return new SourcePosition("mariadb-bin.000001", 4, 0, null, 1, null, 0, false);
    }
}
