package io.sluice.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static io.sluice.record.Cols.col;
import static org.junit.jupiter.api.Assertions.*;

class TemporalCoercionTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Column DATETIME = col("created", "DATETIME");
    private static final LocalDateTime MAR_16_1600 = LocalDateTime.of(2024, 3, 16, 16, 0);

    private final TypeCoercer plain = new TypeCoercer();

    private static ConversionException fails(TypeCoercer coercer, Object value, Column column) {
        return assertThrows(ConversionException.class, () -> coercer.coerce(value, column));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-04-09|2024-04-09T00:00",
            "2024-04-09 13:10:00|2024-04-09T13:10",
            "2024-04-09T13:10:00|2024-04-09T13:10",
            "2024-04-09T13:10|2024-04-09T13:10",
            "' 2024-04-09 13:10:00.123456 '|2024-04-09T13:10:00.123456"})
    void isoTextIntoDatetime(String text, String expected) {
        assertEquals(LocalDateTime.parse(expected), plain.coerce(text, DATETIME));
        assertEquals(LocalDateTime.parse(expected), plain.coerce(text, col("ts", "TIMESTAMP")));
    }

    @Test
    void dateColumnGetsLocalDate() {
        Column date = col("d", "DATE");
        assertEquals(LocalDate.of(2024, 4, 9), plain.coerce("2024-04-09", date));
        assertEquals(LocalDate.of(2024, 4, 9), plain.coerce("2024-04-09 13:10:00", date));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-04-09T05:10:00Z|2024-04-09T13:10",
            "2024-04-09T05:10:00z|2024-04-09T13:10",
            "2024-04-09 13:10:00+08:00|2024-04-09T13:10",
            "2024-04-09T06:10:00.5+0100|2024-04-09T13:10:00.5",
            "2024-04-09T00:10:00-05|2024-04-09T13:10",
            "2024-04-08T21:10:00Z|2024-04-09T05:10"})
    void offsetIsConvertedToTheCoercerZone(String text, String expected) {
        TypeCoercer shanghai = new TypeCoercer(UnixTimestampUnit.NONE, SHANGHAI);
        assertEquals(LocalDateTime.parse(expected), shanghai.coerce(text, DATETIME));
    }

    @Test
    void offsetIntoUtcCoercer() {
        assertEquals(LocalDateTime.of(2024, 4, 9, 5, 10), plain.coerce("2024-04-09T13:10:00+08:00", DATETIME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30", "2023-02-29", "2024-13-01", "2024-04-09 25:00:00", "09/04/2024",
            "2024-4-9", "yesterday", "2024-04-09T13:10:00+25:00", "0000-00-00"})
    void malformedDatesAreErrors(String text) {
        ConversionException e = fails(plain, text, DATETIME);
        assertTrue(e.getMessage().contains("is not a valid date/time"), e.getMessage());
        assertTrue(e.getMessage().contains("column created DATETIME"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"SECONDS, 1710604800", "MILLISECONDS, 1710604800000", "MICROSECONDS, 1710604800000000"})
    void unixTimestampsInEachUnit(UnixTimestampUnit unit, long value) {
        TypeCoercer coercer = new TypeCoercer(unit, ZoneOffset.UTC);
        assertEquals(MAR_16_1600, coercer.coerce(value, DATETIME));
        assertEquals(MAR_16_1600, coercer.coerce(String.valueOf(value), DATETIME));
        assertEquals(MAR_16_1600, coercer.coerce(String.valueOf(value), col("ts", "TIMESTAMP")));
        assertEquals(LocalDate.of(2024, 3, 16), coercer.coerce(value, col("d", "DATE")));
    }

    @Test
    void unixTimestampRenderedInZoneAndWithFraction() {
        TypeCoercer seconds = new TypeCoercer(UnixTimestampUnit.SECONDS, SHANGHAI);
        assertEquals(LocalDateTime.of(2024, 3, 17, 0, 0), seconds.coerce(1710604800L, DATETIME));
        TypeCoercer utcSeconds = new TypeCoercer(UnixTimestampUnit.SECONDS, ZoneOffset.UTC);
        assertEquals(MAR_16_1600.plusNanos(500_000_000), utcSeconds.coerce(new BigDecimal("1710604800.5"), DATETIME));
        TypeCoercer millis = new TypeCoercer(UnixTimestampUnit.MILLISECONDS, ZoneOffset.UTC);
        assertEquals(MAR_16_1600.plusNanos(123_000_000), millis.coerce(1710604800123L, DATETIME));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000), millis.coerce(-1L, DATETIME));
        assertEquals(LocalDateTime.of(2024, 4, 9, 13, 10), millis.coerce("2024-04-09 13:10:00", DATETIME),
                "ISO text still works when a unit is set");
    }

    @Test
    void numberWithoutUnitSuggestsTheOption() {
        ConversionException e = fails(plain, 1710604800L, DATETIME);
        assertEquals("value 1710604800 is a number; to read numbers as Unix timestamps set the unix timestamp"
                + " unit option (none, seconds, milliseconds, microseconds) for column created DATETIME", e.getMessage());
        assertTrue(fails(plain, "1710604800", col("d", "DATE")).getMessage().contains("unix timestamp unit option"));
    }

    @Test
    void wrongUnitIsOutOfRangeWithHint() {
        TypeCoercer seconds = new TypeCoercer(UnixTimestampUnit.SECONDS, ZoneOffset.UTC);
        ConversionException e = fails(seconds, 1710604800000000L, DATETIME);
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertTrue(e.getMessage().contains("check the unix timestamp unit"), e.getMessage());
        assertTrue(fails(seconds, new BigDecimal("1e30"), DATETIME).getMessage().contains("out of range"));
        assertTrue(fails(seconds, 1710604800000L, col("ts", "TIMESTAMP")).getMessage().contains("TIMESTAMP"));
    }

    @Test
    void rangesOfDatetimeAndTimestamp() {
        Column ts = col("ts", "TIMESTAMP");
        assertTrue(fails(plain, "2039-01-01 00:00:00", ts).getMessage().contains("out of range for TIMESTAMP"));
        assertThrows(ConversionException.class, () -> plain.coerce("1969-12-31", ts));
        assertEquals(LocalDateTime.of(2038, 1, 19, 3, 14, 7), plain.coerce("2038-01-19 03:14:07", ts));
        assertTrue(fails(plain, "0999-12-31", DATETIME).getMessage().contains("out of range for DATETIME"));
        assertEquals(LocalDateTime.of(9999, 12, 31, 23, 59, 59), plain.coerce("9999-12-31 23:59:59", DATETIME));
    }

    @Test
    void nonTextNonNumberIsNotADate() {
        assertTrue(fails(plain, true, DATETIME).getMessage().contains("is not a date/time"));
    }

    @Test
    void timeColumn() {
        Column time = col("t", "TIME");
        assertEquals("13:10:00", plain.coerce(" 13:10:00 ", time));
        assertEquals("13:10", plain.coerce("13:10", time));
        assertEquals("-838:59:59.5", plain.coerce("-838:59:59.5", time));
        assertEquals(java.time.LocalTime.NOON, plain.coerce(java.time.LocalTime.NOON, time));
        for (Object bad : new Object[] {"839:00:00", "13:61", "noon", 131000}) {
            assertTrue(fails(plain, bad, time).getMessage().contains("is not a time"), String.valueOf(bad));
        }
    }
}
