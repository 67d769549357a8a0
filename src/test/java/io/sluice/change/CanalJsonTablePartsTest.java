package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming encoder writes a table's constant parts ({@code mysqlType}, {@code pkNames}, and {@code sqlType} when
 * no unsigned column makes it depend on the value) once per column list: the messages must stay those of the
 * FlatMessage encoder, for tables with and without a key, with and without unsigned columns, and for each operation.
 */
class CanalJsonTablePartsTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private static final CanalJsonEncoder STREAMING = new CanalJsonEncoder(ZoneOffset.UTC, FIXED);
    private static final CanalJsonTreeEncoder TREE = new CanalJsonTreeEncoder(ZoneOffset.UTC, FIXED);

    private static ChangeColumn column(String name, String type, Integer length, Integer scale, boolean key) {
        return new ChangeColumn(name, MySqlType.of(type, length, scale, List.of()), key, !key);
    }

    private static ChangeEvent event(Operation op, List<ChangeColumn> cols, Object[] before, Object[] after) {
        return new ChangeEvent("db", "t", op, cols, before == null ? null : new RowImage(cols, before),
                after == null ? null : new RowImage(cols, after), null,
                new SourcePosition("mariadb-bin.000002", 4, 0, "0-1-9", 1, 7L, 1_700_000_000_000L, false));
    }

    private static void assertSameMessages(List<ChangeColumn> cols, Object[] a, Object[] b) throws Exception {
        for (ChangeEvent e : List.of(event(Operation.INSERT, cols, null, a), event(Operation.UPDATE, cols, a, b),
                event(Operation.DELETE, cols, b, null))) {
            // twice: the second message comes from the cached parts
            for (int i = 0; i < 2; i++) {
                assertEquals(new String(TREE.encode(e, 3), StandardCharsets.UTF_8),
                        new String(STREAMING.encode(e, 3), StandardCharsets.UTF_8), e.operation() + " #" + i);
            }
        }
    }

    @Test
    void signedTableWithAKey() throws Exception {
        List<ChangeColumn> cols = List.of(column("id", "BIGINT", 20, null, true), column("name \"q\"", "VARCHAR", 64, null, false),
                column("d", "DECIMAL", 12, 2, false), column("t", "DATETIME", 3, null, false));
        assertSameMessages(cols, new Object[]{1L, "a\\b", new BigDecimal("1.50"), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6_000_000)},
                new Object[]{1L, "é 😀", null, LocalDateTime.of(2024, 1, 2, 3, 4, 5)});
    }

    @Test
    void keylessTableAndAnUnsignedColumnWhoseSqlTypeDependsOnTheValue() throws Exception {
        List<ChangeColumn> cols = List.of(column("n", "BIGINT UNSIGNED", 20, null, false), column("v", "INT", 11, null, false));
        assertSameMessages(cols, new Object[]{BigInteger.ONE, 5L}, new Object[]{new BigInteger("18446744073709551615"), 6L});
    }
}
