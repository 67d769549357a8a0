package io.sluice.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.record.Cols.col;
import static org.junit.jupiter.api.Assertions.*;

/** Character, text, binary, boolean, JSON and pass-through columns. */
class TextCoercionTest {
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 units
    private final TypeCoercer coercer = new TypeCoercer();

    private ConversionException fails(Object value, Column column) {
        return assertThrows(ConversionException.class, () -> coercer.coerce(value, column));
    }

    @Test
    void varcharCountsCodePoints() {
        Column name = col("name", "VARCHAR", 5);
        assertEquals(EMOJI.repeat(5), coercer.coerce(EMOJI.repeat(5), name));
        ConversionException e = fails(EMOJI.repeat(6), name);
        assertTrue(e.getMessage().endsWith("has 6 characters, more than the 5 allowed for column name VARCHAR(5)"),
                e.getMessage());
        assertThrows(ConversionException.class, () -> coercer.coerce("abcdef", col("c", "CHAR", 5)));
    }

    @Test
    void varcharRendersScalarsAndStructuresAsText() {
        Column c = col("c", "VARCHAR", 50);
        assertEquals("12345", coercer.coerce(12345L, c));
        assertEquals("1.50", coercer.coerce(new BigDecimal("1.50"), c));
        assertEquals("true", coercer.coerce(true, c));
        assertEquals("{\"a\":1}", coercer.coerce("{\"a\":1}", c));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", List.of(1, 2));
        assertEquals("{\"k\":[1,2]}", coercer.coerce(map, c));
    }

    @Test
    void tinytextAndTextLimitUtf8Bytes() {
        Column tiny = col("t", "TINYTEXT");
        assertEquals("€".repeat(85), coercer.coerce("€".repeat(85), tiny)); // 255 bytes
        assertTrue(fails("€".repeat(86), tiny).getMessage()
                .contains("has 258 bytes in UTF-8, more than the 255 allowed"));
        Column text = col("t", "TEXT");
        assertEquals(65535, ((String) coercer.coerce("a".repeat(65535), text)).length());
        assertThrows(ConversionException.class, () -> coercer.coerce("a".repeat(65536), text));
        assertEquals(70000, ((String) coercer.coerce("a".repeat(70000), col("t", "MEDIUMTEXT"))).length());
    }

    @Test
    void binaryStoresUtf8BytesWithinLength() {
        Column vb = col("b", "VARBINARY", 4);
        assertArrayEquals("abcd".getBytes(StandardCharsets.UTF_8), (byte[]) coercer.coerce("abcd", vb));
        assertArrayEquals("éé".getBytes(StandardCharsets.UTF_8), (byte[]) coercer.coerce("éé", vb));
        assertTrue(fails("abcde", vb).getMessage().contains("has 5 bytes, more than the 4 allowed"));
        assertTrue(fails("ééé", col("b", "BINARY", 4)).getMessage().contains("has 6 bytes"));
        byte[] raw = {1, 2, 3};
        assertSame(raw, coercer.coerce(raw, vb));
        assertThrows(ConversionException.class, () -> coercer.coerce("x".repeat(256), col("b", "TINYBLOB")));
        assertEquals(256, ((byte[]) coercer.coerce("x".repeat(256), col("b", "BLOB"))).length);
    }

    @Test
    void booleanAndBit1() {
        Column bool = col("ok", "BOOLEAN");
        assertEquals(true, coercer.coerce(true, bool));
        assertEquals(true, coercer.coerce("TRUE", bool));
        assertEquals(false, coercer.coerce(" false ", bool));
        assertEquals(true, coercer.coerce(1L, bool));
        assertEquals(false, coercer.coerce("0", bool));
        assertEquals(true, coercer.coerce(1, col("b", "BIT", 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "2", "", "truex"})
    void booleanRejectsOtherValues(String value) {
        assertTrue(fails(value, col("ok", "BOOLEAN")).getMessage().contains("is not a boolean"));
    }

    @Test
    void jsonColumnAlwaysGetsValidJson() {
        Column j = col("doc", "JSON");
        assertEquals("{\"a\":[1,2]}", coercer.coerce("{\"a\":[1,2]}", j));
        assertEquals("[1,2]", coercer.coerce("[1,2]", j));
        assertEquals("\"hello\"", coercer.coerce("hello", j));
        assertEquals("\"say \\\"hi\\\"\"", coercer.coerce("say \"hi\"", j));
        assertEquals("\"[1,2\"", coercer.coerce("[1,2", j));
        assertEquals("\"\"", coercer.coerce("", j));
        assertEquals("42", coercer.coerce(42L, j));
        assertEquals("1.50", coercer.coerce(new BigDecimal("1.50"), j));
        assertEquals("true", coercer.coerce(true, j));
        assertEquals("{\"k\":\"v\"}", coercer.coerce(Map.of("k", "v"), j));
        assertEquals("[1,2]", coercer.coerce(List.of(1, 2), j));
        assertTrue(fails(Double.NaN, j).getMessage().contains("not a finite number"));
    }

    @Test
    void unknownTypesPassValuesThrough() {
        assertEquals("red", coercer.coerce("red", col("color", "ENUM")));
        assertEquals(5L, coercer.coerce(5L, col("g", "GEOMETRY")));
        assertEquals("{\"k\":1}", coercer.coerce(Map.of("k", 1), col("s", "SET")));
    }

    @Test
    void nullIsNullForEveryKind() {
        for (String type : List.of("INT", "DECIMAL", "DOUBLE", "VARCHAR", "TEXT", "VARBINARY", "BLOB", "DATE",
                "DATETIME", "TIMESTAMP", "TIME", "YEAR", "BOOLEAN", "JSON", "ENUM")) {
            assertNull(coercer.coerce(null, col("c", type)), type);
        }
    }
}
