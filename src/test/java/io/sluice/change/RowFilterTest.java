package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The row filter conditions: the evaluator's operators and NULL semantics, what is refused, the per-table filters. */
class RowFilterTest {

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static boolean matches(String condition, Map<String, Object> row) {
        return RowCondition.parse("t", condition).matches(row);
    }

    @Test
    void comparisonsAreNumericForNumbersAndCaseInsensitiveForStrings() {
        Map<String, Object> r = row("amount", new BigDecimal("150.50"), "n", 9L, "s", "Apple", "big",
                new BigInteger("18446744073709551615"), "f", 2.5d);
        assertTrue(matches("amount > 100", r));
        assertFalse(matches("amount < 100", r));
        assertTrue(matches("amount = 150.5", r), "numeric equality ignores the scale");
        assertTrue(matches("amount >= 150.50 AND amount <= 150.5", r));
        assertTrue(matches("n <> 10 AND n != 10", r));
        assertTrue(matches("s = 'APPLE' AND s <> 'pear'", r));
        assertTrue(matches("big = 18446744073709551615 AND f = 2.5", r));
        assertFalse(matches("amount = 150.50000000000000000001", r), "decimal literals are exact, not doubles");
        assertTrue(matches("amount < 150.50000000000000000001 AND amount > 1.5e2", r));
    }

    @Test
    void eachOperatorAndLiteral() {
        Map<String, Object> r = row("amount", new BigDecimal("150.50"), "n", 9L, "s", "Apple  ", "big",
                new BigInteger("18446744073709551615"), "f", 2.5d, "d", LocalDate.of(2024, 3, 1),
                "dt", LocalDateTime.of(2024, 3, 1, 12, 30), "ts", Instant.parse("2024-03-01T12:30:00Z"),
                "tm", Duration.ofHours(-30), "bin", "x%y".getBytes());
        // numbers: 9 < 10 numerically although '9' > '10' as text
        assertTrue(matches("n < 10", r));
        assertTrue(matches("n = '9'", r), "a string compared with a number is converted to a number");
        assertTrue(matches("n = '9abc'", r), "a string's numeric prefix, as MySQL converts it");
        assertTrue(matches("big > 9223372036854775807", r), "BIGINT UNSIGNED above 2^63-1");
        assertTrue(matches("f BETWEEN 2 AND 3", r));
        assertFalse(matches("f NOT BETWEEN 2 AND 3", r));
        assertTrue(matches("amount = 150.5 AND n = -(-9)", r));
        assertTrue(matches("n > -1", r));
        // strings: case-insensitive, trailing spaces ignored (MySQL's _ci collations, PAD SPACE)
        assertTrue(matches("s = 'apple'", r));
        assertTrue(matches("s = \"APPLE\"", r), "a double-quoted string is a string, as in MySQL");
        assertTrue(matches("s > 'Ant' AND s < 'b'", r));
        assertTrue(matches("s IN ('pear', 'APPLE')", r));
        assertFalse(matches("s NOT IN ('pear', 'apple')", r));
        assertTrue(matches("s LIKE 'ap%'", r));
        assertTrue(matches("s LIKE '_pple%'", r));
        assertFalse(matches("s LIKE 'pp%'", r));
        assertTrue(matches("s NOT LIKE 'x%'", r));
        assertTrue(matches("bin LIKE 'x!%y' ESCAPE '!'", r));
        assertFalse(matches("bin LIKE 'x!%z' ESCAPE '!'", r));
        // dates, datetimes, timestamps (UTC), times
        assertTrue(matches("d = '2024-03-01'", r));
        assertTrue(matches("d >= '2024-03-01 00:00:00' AND d < DATE '2024-03-02'", r));
        assertTrue(matches("dt > '2024-03-01' AND dt < '2024-03-01 12:30:01'", r));
        assertTrue(matches("dt = TIMESTAMP '2024-03-01 12:30:00'", r));
        assertTrue(matches("ts BETWEEN '2024-03-01 12:00' AND '2024-03-01 13:00'", r));
        assertTrue(matches("tm < '-29:59:59' AND tm = '-30:00:00'", r));
        // logic and parentheses
        assertTrue(matches("(n = 1 OR n = 9) AND NOT (s = 'pear')", r));
        assertFalse(matches("n = 1 OR n = 2", r));
        assertTrue(matches("NOT n = 1", r));
        assertTrue(matches("TRUE", r));
        assertFalse(matches("FALSE OR n = 1", r));
        assertTrue(matches("n IN (1, 9) AND `n` = 9 AND t.n = 9", r), "back-quoted and table-qualified columns");
        assertTrue(matches("N = 9", r), "column names are case-insensitive");
    }

    @Test
    void likeMatchesTimesAndDatetimesAsMySqlShowsThemWithTheirDeclaredFraction() {
        List<ChangeColumn> columns = List.of(
                new ChangeColumn("tm6", MySqlType.of("TIME", 6, null, List.of()), false, true),
                new ChangeColumn("tm0", MySqlType.of("TIME", null, null, List.of()), false, true),
                new ChangeColumn("dt3", MySqlType.of("DATETIME", 3, null, List.of()), false, true));
        Map<String, Object> r = new RowImage(columns, new Object[] {Duration.ofMillis(-500), Duration.ofHours(-1),
                LocalDateTime.of(2024, 3, 1, 12, 30)});
        assertTrue(matches("tm6 LIKE '-00:00:00.500000'", r), "TIME(6) has six fraction digits");
        assertFalse(matches("tm6 LIKE '-00:00:00.5'", r));
        assertTrue(matches("tm0 LIKE '-01:00:00'", r));
        assertTrue(matches("dt3 LIKE '2024-03-01 12:30:00.000'", r), "DATETIME(3) with seconds and three digits");
        // without the column's type (a plain map), the digits the value needs
        assertTrue(matches("tm LIKE '-00:00:00.5'", row("tm", Duration.ofMillis(-500))));
        assertTrue(matches("dt LIKE '2024-03-01 12:30:00'", row("dt", LocalDateTime.of(2024, 3, 1, 12, 30))));
    }

    @Test
    void nullIsUnknownAndAnUnknownConditionKeepsNoRow() {
        Map<String, Object> r = row("a", null, "b", 1L);
        assertFalse(matches("a = 1", r));
        assertFalse(matches("a <> 1", r), "NULL <> 1 is unknown, not true");
        assertFalse(matches("NOT a = 1", r), "NOT unknown is unknown");
        assertFalse(matches("a IN (1, 2)", r));
        assertFalse(matches("a NOT IN (1, 2)", r));
        assertFalse(matches("b NOT IN (2, NULL)", r), "x NOT IN (.., NULL) is unknown unless x is in the list");
        assertTrue(matches("b IN (1, NULL)", r));
        assertFalse(matches("a BETWEEN 0 AND 2", r));
        assertFalse(matches("a LIKE '%'", r));
        assertFalse(matches("a = NULL", r), "= NULL is never true; IS NULL is");
        assertTrue(matches("a IS NULL", r));
        assertFalse(matches("a IS NOT NULL", r));
        assertTrue(matches("b IS NOT NULL", r));
        assertTrue(matches("a = 1 OR b = 1", r), "unknown OR true is true");
        assertFalse(matches("a = 1 OR b = 2", r), "unknown OR false is unknown");
        assertFalse(matches("a = 1 AND b = 1", r), "unknown AND true is unknown");
        assertTrue(matches("NOT (a = 1 AND b = 2)", r), "unknown AND false is false, NOT false is true");
        assertFalse(matches("b = 1", null), "no row image");
        assertFalse(matches("gone = 1", row("b", 1L)), "a column missing from the row reads as NULL");
    }

    @Test
    void unsupportedConstructsAndBadSyntaxAreRefusedSayingWhat() {
        for (String bad : List.of("UPPER(s) = 'A'", "n + 1 > 2", "n IN (SELECT id FROM x)", "s REGEXP 'a.*'",
                "s RLIKE 'a'", "n = 1 XOR n = 2", "other.n = 1",
                "CAST(n AS CHAR) = '1'")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("t", bad),
                    bad);
            assertTrue(e.getMessage().contains("is not supported") || e.getMessage().contains("not a valid SQL condition"),
                    bad + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("supported: comparisons") || e.getMessage().contains("not a valid"),
                    e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("t", "amount >> 3 AND"))
                .getMessage().contains("not a valid SQL condition"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RowCondition.parse("t", " "))
                .getMessage().contains("empty"));
        assertEquals(Set.of("amount", "status"), RowCondition.parse("t", "Amount > 1 AND `status` <> 'x'").columns());
    }

    @Test
    void filtersPerTableWithQuotedSemicolonsAndTheirProblems() {
        RowFilters f = RowFilters.parse("demo.orders=amount > 100 AND status <> 'a;b';demo.users=id < 1000;"
                + "demo.bad=UPPER(x) = 'A';demo.cols=nope = 1 AND id = 2");
        assertEquals(List.of("demo.orders", "demo.users", "demo.bad", "demo.cols"),
                f.entries().stream().map(RowFilters.Entry::name).toList());
        assertEquals("amount > 100 AND status <> 'a;b'", f.entries().iterator().next().condition());
        List<String> problems = f.problems(e -> e.table().equals("users") ? null
                : new java.util.LinkedHashSet<>(List.of("id", "amount", "status", "x")));
        assertEquals(3, problems.size(), String.valueOf(problems));
        assertTrue(problems.get(0).startsWith("demo.users (condition: id < 1000): the table does not exist"), problems.get(0));
        assertTrue(problems.get(1).startsWith("demo.bad (condition: UPPER(x) = 'A'): 'UPPER(x)' is not supported"), problems.get(1));
        assertTrue(problems.get(2).contains("demo.cols (condition: nope = 1 AND id = 2): unknown column nope; the table has id"),
                problems.get(2));

        var p = RowFilters.parse("demo.orders=amount > 100").snapshotProperties();
        assertEquals("demo.orders", p.getProperty("snapshot.select.statement.overrides"));
        assertEquals("SELECT * FROM `demo`.`orders` WHERE amount > 100",
                p.getProperty("snapshot.select.statement.overrides.demo.orders"));

        assertThrows(IllegalArgumentException.class, () -> RowFilters.parse("orders=amount > 1"));
        assertThrows(IllegalArgumentException.class, () -> RowFilters.parse("demo.orders amount > 1"));
        assertThrows(IllegalArgumentException.class, () -> RowFilters.parse("demo.o=a > 1;DEMO.O=a < 5"));
        assertTrue(RowFilters.parse(null).isEmpty());
    }

    @Test
    void insertChecksAfterDeleteChecksBeforeUpdateKeepsWhenEitherMatchesSnapshotAndDdlPass() {
        RowFilters f = RowFilters.parse("demo.orders=amount > 100");
        Map<String, Object> in = row("amount", 150L);
        Map<String, Object> out = row("amount", 50L);
        assertTrue(f.keep(event(Operation.INSERT, null, in, false)));
        assertFalse(f.keep(event(Operation.INSERT, null, out, false)));
        assertTrue(f.keep(event(Operation.DELETE, in, null, false)));
        assertFalse(f.keep(event(Operation.DELETE, out, null, false)));
        assertTrue(f.keep(event(Operation.UPDATE, out, in, false)), "a row entering the filter");
        assertTrue(f.keep(event(Operation.UPDATE, in, out, false)), "a row leaving the filter");
        assertTrue(f.keep(event(Operation.UPDATE, in, in, false)));
        assertFalse(f.keep(event(Operation.UPDATE, out, out, false)));
        assertTrue(f.keep(event(Operation.INSERT, null, out, true)), "the database filtered the full load");
        assertTrue(f.keep(new ChangeEvent("demo", "orders", Operation.DDL, List.of(), null, null, "ALTER TABLE orders",
                position(false))));
        assertTrue(f.keep(new ChangeEvent("demo", "other", Operation.INSERT, List.of(), null, out, null, position(false))),
                "a table without a filter");
        assertTrue(f.keep(new ChangeEvent("DEMO", "Orders", Operation.INSERT, List.of(), null, in, null, position(false))));
        assertFalse(f.keep(new ChangeEvent("DEMO", "Orders", Operation.INSERT, List.of(), null, out, null, position(false))),
                "table names match case-insensitively");
    }

    private static ChangeEvent event(Operation op, Map<String, Object> before, Map<String, Object> after, boolean snapshot) {
        return new ChangeEvent("demo", "orders", op, List.of(), before, after, null, position(snapshot));
    }

    private static SourcePosition position(boolean snapshot) {
        return new SourcePosition("mariadb-bin.000001", 4, 0, null, 1, null, 0, snapshot);
    }
}
