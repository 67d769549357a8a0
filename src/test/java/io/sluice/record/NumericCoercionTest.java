package io.sluice.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;

import static io.sluice.record.Cols.col;
import static org.junit.jupiter.api.Assertions.*;

class NumericCoercionTest {
    private final TypeCoercer coercer = new TypeCoercer();

    private ConversionException fails(Object value, Column column) {
        return assertThrows(ConversionException.class, () -> coercer.coerce(value, column));
    }

    @ParameterizedTest
    @CsvSource({
            "TINYINT, -128", "TINYINT, 127", "TINYINT UNSIGNED, 0", "TINYINT UNSIGNED, 255",
            "SMALLINT, -32768", "SMALLINT UNSIGNED, 65535", "MEDIUMINT, 8388607", "MEDIUMINT UNSIGNED, 16777215",
            "INT, -2147483648", "INT, 2147483647", "INT UNSIGNED, 4294967295", "INTEGER, 5",
            "BIGINT, -9223372036854775808", "BIGINT, 9223372036854775807"})
    void integerEdgesInsideRange(String type, String value) {
        assertEquals(Long.parseLong(value), coercer.coerce(value, col("c", type)));
        assertEquals(Long.parseLong(value), coercer.coerce(new BigInteger(value), col("c", type)));
    }

    @ParameterizedTest
    @CsvSource({
            "TINYINT, 128, -128..127", "TINYINT, -129, -128..127",
            "TINYINT UNSIGNED, 256, 0..255", "TINYINT UNSIGNED, -1, 0..255",
            "SMALLINT, 32768, -32768..32767", "MEDIUMINT UNSIGNED, 16777216, 0..16777215",
            "INT, 2147483648, -2147483648..2147483647", "INT, -2147483649, -2147483648..2147483647",
            "INT UNSIGNED, 4294967296, 0..4294967295",
            "BIGINT, 9223372036854775808, -9223372036854775808..9223372036854775807",
            "BIGINT UNSIGNED, 18446744073709551616, 0..18446744073709551615",
            "BIGINT UNSIGNED, -1, 0..18446744073709551615"})
    void integerEdgesOutsideRange(String type, String value, String range) {
        ConversionException e = fails(new BigInteger(value), col("c", type));
        assertEquals("value " + value + " is out of range " + range + " for column c " + type, e.getMessage());
    }

    @Test
    void bigintUnsignedMaxIsBigInteger() {
        Column column = col("c", "BIGINT UNSIGNED");
        assertEquals(new BigInteger("18446744073709551615"), coercer.coerce("18446744073709551615", column));
        assertEquals(Long.MAX_VALUE, coercer.coerce(Long.MAX_VALUE, column));
    }

    @Test
    void unsignedFlagWorksWithoutTypeNameSuffix() {
        Column column = new Column("c", Types.TINYINT, "tinyint", 3, 0, true, false, false, true);
        assertEquals("TINYINT", column.typeName());
        assertEquals(255L, coercer.coerce(255, column));
        assertThrows(ConversionException.class, () -> coercer.coerce(-1, column));
    }

    @Test
    void integerAcceptsTrimmedStringsAndZeroFractions() {
        Column column = col("qty", "INT");
        assertEquals(42L, coercer.coerce(" 42 ", column));
        assertEquals(3L, coercer.coerce("3.0", column));
        assertEquals(3L, coercer.coerce(new BigDecimal("3.00"), column));
        assertEquals(42L, coercer.coerce(42, column));
        assertEquals(7L, coercer.coerce(7.0d, column));
    }

    @Test
    void integerRejectsTextFractionsBooleansAndHugeExponents() {
        Column column = col("qty", "INT");
        assertEquals("value \"abc\" is not an integer for column qty INT", fails("abc", column).getMessage());
        assertTrue(fails(new BigDecimal("3.5"), column).getMessage().contains("non-zero fraction"));
        assertTrue(fails("", column).getMessage().contains("is not an integer"));
        assertTrue(fails(true, column).getMessage().contains("is a boolean"));
        assertTrue(fails("1e900", col("c", "BIGINT")).getMessage().contains("out of range"));
        assertTrue(fails("1e-999999999", column).getMessage().contains("exponent"));
    }

    @Test
    void tinyint1TakesBooleans() {
        Column tinyint1 = col("flag", "TINYINT", 1);
        assertEquals(1L, coercer.coerce(true, tinyint1));
        assertEquals(0L, coercer.coerce("false", tinyint1));
        assertEquals(5L, coercer.coerce(5, tinyint1));
        Column reportedAsBit = new Column("flag", Types.BIT, "TINYINT", 3, 0, true, false, false, false);
        assertEquals(1L, coercer.coerce(true, reportedAsBit));
    }

    @Test
    void yearAndWideBit() {
        Column year = col("y", "YEAR");
        assertEquals(2024L, coercer.coerce("2024", year));
        assertEquals(1901L, coercer.coerce(1901, year));
        assertEquals(2155L, coercer.coerce(2155, year));
        assertTrue(fails(1900, year).getMessage().contains("1901..2155"));
        assertTrue(fails(2156, year).getMessage().contains("1901..2155"));
        Column bit8 = col("b", "BIT", 8);
        assertEquals(255L, coercer.coerce(255, bit8));
        assertTrue(fails(256, bit8).getMessage().contains("0..255"));
    }

    @Test
    void decimalWithinPrecisionIsScaled() {
        Column price = col("price", "DECIMAL", 5, 2);
        assertEquals(new BigDecimal("123.45"), coercer.coerce("123.45", price));
        assertEquals(new BigDecimal("12.00"), coercer.coerce(12, price));
        assertEquals(new BigDecimal("0.05"), coercer.coerce("0.05", price));
        assertEquals(new BigDecimal("-999.99"), coercer.coerce("-999.99", price));
    }

    @ParameterizedTest
    @CsvSource({"123.455, 123.46", "-123.455, -123.46", "1.004, 1.00", "999.994, 999.99", "0.005, 0.01"})
    void decimalRoundsSurplusFractionHalfUp(String in, String out) {
        assertEquals(new BigDecimal(out), coercer.coerce(new BigDecimal(in), col("price", "DECIMAL", 5, 2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000", "1234.5", "999.995", "-1000.00", "1e900"})
    void decimalOverflowIsAnError(String value) {
        ConversionException e = fails(new BigDecimal(value), col("price", "DECIMAL", 5, 2));
        assertTrue(e.getMessage().endsWith("has more than 3 integer digits for column price DECIMAL(5,2)"),
                e.getMessage());
    }

    @Test
    void decimalRejectsText() {
        assertEquals("value \"12,5\" is not a number for column price DECIMAL(5,2)",
                fails("12,5", col("price", "DECIMAL", 5, 2)).getMessage());
    }

    @Test
    void floatingPoint() {
        Column dbl = col("d", "DOUBLE");
        assertEquals(1.5d, coercer.coerce("1.5", dbl));
        assertEquals(0.1d, coercer.coerce(new BigDecimal("0.1"), dbl));
        assertEquals(3.0d, coercer.coerce(3L, dbl));
        assertTrue(fails("NaN", dbl).getMessage().contains("is not a number"));
        assertTrue(fails("Infinity", dbl).getMessage().contains("is not a number"));
        assertTrue(fails(Double.NaN, dbl).getMessage().contains("is not a number"));
        assertTrue(fails("1e400", dbl).getMessage().contains("out of range"));
        assertTrue(fails("1e39", col("f", "FLOAT")).getMessage().contains("out of range for FLOAT"));
        assertTrue(fails(true, dbl).getMessage().contains("is not a number"));
    }
}
