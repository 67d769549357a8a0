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
     * Local date-time of {@code text}; a date alone means midnight, and a value with an offset is
     * converted to the wall-clock time in {@code zone}. A space may replace the 'T' (MySQL style).
     */
    static LocalDateTime parse(String text, ZoneId zone) throws DateTimeParseException {
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
