package io.sluice.record;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** Parses the ISO-8601 date/time spellings that show up in source messages. */
final class IsoDateTimes {
    /**
     * Date, optionally 'T' + time with fraction, optionally an offset ("Z", "+08:00", "+0800",
     * "+08"). STRICT so that 2024-02-30 is rejected instead of being clamped to the 29th.
     */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private IsoDateTimes() {
    }

    /**
     * The common spellings without offset, read by hand: "yyyy-MM-dd" and "yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}]". The
     * formatter's optional sections cost about a microsecond per value, which showed in the links' throughput.
     * Returns null for any other shape (the formatter then decides); an impossible date is an error either way.
     */
    private static LocalDateTime parsePlain(String t) {
        int n = t.length();
        if (n < 10 || !digits(t, 0, 4) || t.charAt(4) != '-' || !digits(t, 5, 7) || t.charAt(7) != '-' || !digits(t, 8, 10)) {
            return null;
        }
        int nanos = 0;
        int hour = 0;
        int minute = 0;
        int second = 0;
        if (n > 10) {
            char sep = t.charAt(10);
            if ((sep != 'T' && sep != 't' && sep != ' ') || n < 19 || !digits(t, 11, 13) || t.charAt(13) != ':'
                    || !digits(t, 14, 16) || t.charAt(16) != ':' || !digits(t, 17, 19)) {
                return null;
            }
            if (n > 19) {
                if (t.charAt(19) != '.' || n == 20 || n > 29 || !digits(t, 20, n)) {
                    return null;
                }
                nanos = Integer.parseInt(t, 20, n, 10);
                for (int i = n; i < 29; i++) {
                    nanos *= 10;
                }
            }
            hour = Integer.parseInt(t, 11, 13, 10);
            minute = Integer.parseInt(t, 14, 16, 10);
            second = Integer.parseInt(t, 17, 19, 10);
        }
        try {
            return LocalDateTime.of(Integer.parseInt(t, 0, 4, 10), Integer.parseInt(t, 5, 7, 10),
                    Integer.parseInt(t, 8, 10, 10), hour, minute, second, nanos);
        } catch (java.time.DateTimeException e) {
            throw new DateTimeParseException(e.getMessage(), t, 0, e);
        }
    }

    private static boolean digits(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Local date-time of {@code text}; a date alone means midnight, and a value with an offset is
     * converted to the wall-clock time in {@code zone}. A space may replace the 'T' (MySQL style).
     */
    static LocalDateTime parse(String text, ZoneId zone) throws DateTimeParseException {
        LocalDateTime plain = parsePlain(text);
        if (plain != null) {
            return plain;
        }
        String iso = text.length() > 10 && text.charAt(10) == ' '
                ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        TemporalAccessor parsed = FORMAT.parse(iso);
        LocalDate date = LocalDate.from(parsed);
        if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            return date.atStartOfDay();
        }
        LocalDateTime local = LocalDateTime.of(date, LocalTime.from(parsed));
        if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            return local;
        }
        return local.atOffset(ZoneOffset.from(parsed)).atZoneSameInstant(zone).toLocalDateTime();
    }
}
