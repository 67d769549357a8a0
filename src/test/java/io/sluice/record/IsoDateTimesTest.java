package io.sluice.record;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-read common spellings agree with ISO-8601, and impossible values are still refused. */
class IsoDateTimesTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest
    @CsvSource({
            "2024-03-01, 2024-03-01T00:00",
            "2024-03-01T10:11:12, 2024-03-01T10:11:12",
            "2024-03-01 10:11:12, 2024-03-01T10:11:12",
            "2024-03-01t10:11:12, 2024-03-01T10:11:12",
            "2024-03-01T10:11:12.1, 2024-03-01T10:11:12.100",
            "2024-03-01T10:11:12.000006, 2024-03-01T10:11:12.000006",
            "2024-03-01T10:11:12.123456789, 2024-03-01T10:11:12.123456789",
            "2024-03-01T10:11, 2024-03-01T10:11",
            "2024-03-01T10:11:12+08:00, 2024-03-01T02:11:12",
            "2024-03-01T10:11:12Z, 2024-03-01T10:11:12",
            "2024-02-29T23:59:59, 2024-02-29T23:59:59"})
    void readsTheCommonSpellings(String text, String expected) {
        assertEquals(LocalDateTime.parse(expected), IsoDateTimes.parse(text, UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30", "2023-02-29 10:00:00", "2024-13-01", "2024-01-01T24:00:00",
            "2024-01-01T10:60:00", "2024-01-01T10:00:61", "2024-01-01T10:00:00.1234567890",
            "2024-1-01", "20240101"})
    void refusesImpossibleOrMalformedValues(String text) {
        assertThrows(DateTimeParseException.class, () -> IsoDateTimes.parse(text, UTC));
    }
}
