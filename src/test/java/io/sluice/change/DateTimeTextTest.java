package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written DATETIME text against {@link DateTimeFormatter}, which it replaces on the hot path; TIME text with
 * the fraction digits its column declares, as MySQL shows it.
 */
class DateTimeTextTest {

    private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    private static List<LocalDateTime> samples() {
        List<LocalDateTime> out = new ArrayList<>(List.of(
                LocalDateTime.of(1, 1, 1, 0, 0, 0, 0),
                LocalDateTime.of(999, 12, 31, 23, 59, 59, 999_999_999),
                LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1_000),
                LocalDateTime.of(2024, 2, 29, 12, 5, 9, 120_000_000),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                LocalDateTime.of(10000, 1, 1, 0, 0, 0, 0),      // beyond MySQL: the formatter's spelling
                LocalDateTime.of(-1, 6, 15, 1, 2, 3, 4)));
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            out.add(LocalDateTime.of(r.nextInt(10000), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24),
                    r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000_000)));
        }
        return out;
    }

    @Test
    void sqlTextIsTheFormattersTextWithTheColumnsFraction() {
        for (LocalDateTime t : samples()) {
            for (int fsp = 0; fsp <= 6; fsp++) {
                String nine = String.format("%09d", t.getNano());
                String expected = SQL.format(t) + (fsp == 0 ? "" : "." + nine.substring(0, fsp));
                assertEquals(expected, DateTimeText.sql(t, fsp), t + " fsp " + fsp);
            }
        }
    }

    @Test
    void timeTextHasTheColumnsFractionDigits() {
        Duration max = Duration.ofHours(838).plusMinutes(59).plusSeconds(59);
        Duration half = Duration.ofMillis(500);
        assertEquals("-838:59:59", DateTimeText.time(max.negated(), 0));
        assertEquals("-838:59:59.000", DateTimeText.time(max.negated(), 3));
        assertEquals("-838:59:59.000000", DateTimeText.time(max.negated(), 6));
        assertEquals("838:59:59.000000", DateTimeText.time(max, 6));
        assertEquals("00:00:00", DateTimeText.time(half, 0), "TIME(0) has no fraction (MySQL rounds on insert)");
        assertEquals("00:00:00.500", DateTimeText.time(half, 3));
        assertEquals("00:00:00.500000", DateTimeText.time(half, 6));
        assertEquals("-00:30:00.500000", DateTimeText.time(Duration.ofMinutes(30).plus(half).negated(), 6));
        assertEquals("-00:00:00.000001", DateTimeText.time(Duration.ofNanos(-1000), 6));
        assertEquals("100:00:00.5", DateTimeText.time(Duration.ofHours(100).plus(half), 1));
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            Duration d = Duration.ofSeconds(r.nextInt(2 * 3_020_400) - 3_020_400, r.nextInt(1_000_000) * 1000L);
            Duration abs = d.abs();
            long s = abs.getSeconds();
            for (int fsp = 0; fsp <= 6; fsp++) {
                String expected = String.format(Locale.ROOT, "%s%02d:%02d:%02d%s", d.isNegative() ? "-" : "", s / 3600,
                        s / 60 % 60, s % 60, fsp == 0 ? "" : "." + String.format("%09d", abs.getNano()).substring(0, fsp));
                assertEquals(expected, DateTimeText.time(d, fsp), d + " fsp " + fsp);
            }
        }
    }
}
