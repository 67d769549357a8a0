package io.sluice.record;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.sluice.record.Cols.col;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every column kind given a value it cannot hold: the message names value, column, type and why. */
class WrongTypeTest {
    static Stream<Arguments> wrongValues() {
        return Stream.of(
                arguments(col("c", "TINYINT"), "abc", "is not an integer"),
                arguments(col("c", "INT"), true, "is a boolean, not an integer"),
                arguments(col("c", "BIGINT UNSIGNED"), -5, "is out of range 0..18446744073709551615"),
                arguments(col("c", "YEAR"), "soon", "is not an integer"),
                arguments(col("c", "DECIMAL", 5, 2), "abc", "is not a number"),
                arguments(col("c", "DOUBLE"), "NaN", "is not a number"),
                arguments(col("c", "FLOAT"), java.util.List.of(1), "is not a number"),
                arguments(col("c", "BOOLEAN"), "maybe", "is not a boolean"),
                arguments(col("c", "BIT", 1), 2, "is not a boolean"),
                arguments(col("c", "VARCHAR", 3), "abcd", "has 4 characters, more than the 3 allowed"),
                arguments(col("c", "CHAR", 1), 12, "has 2 characters"),
                arguments(col("c", "TINYTEXT"), "x".repeat(256), "has 256 bytes in UTF-8"),
                arguments(col("c", "DATE"), "2024-02-30", "is not a valid date/time"),
                arguments(col("c", "DATETIME"), false, "is not a date/time"),
                arguments(col("c", "TIMESTAMP"), 1710604800L, "is a number"),
                arguments(col("c", "TIME"), "noon", "is not a time"),
                arguments(col("c", "JSON"), Double.POSITIVE_INFINITY, "not a finite number"),
                arguments(col("c", "VARBINARY", 2), "abc", "has 3 bytes, more than the 2 allowed"),
                arguments(col("c", "TINYBLOB"), "x".repeat(256), "has 256 bytes"));
    }

    @ParameterizedTest
    @MethodSource("wrongValues")
    void wrongValueIsAConversionError(Column column, Object value, String why) {
        ConversionException e = assertThrows(ConversionException.class,
                () -> new TypeCoercer().coerce(value, column));
        assertTrue(e.getMessage().startsWith("value " + OffendingValue.quoted(value) + " "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().endsWith(" for column " + column.describe()), e.getMessage());
        assertTrue(e.reason().contains(why));
    }
}
