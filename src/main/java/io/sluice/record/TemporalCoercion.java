package io.sluice.record;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/** DATE, DATETIME and TIMESTAMP from ISO-8601 text or, when a unit is configured, Unix timestamps. */
final class TemporalCoercion {
    private static final Pattern NUMERIC = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    // MySQL's documented ranges; TIMESTAMP is a 32-bit count of seconds since the epoch.
    private static final int MIN_YEAR = 1000;
    private static final int MAX_YEAR = 9999;
    private static final Instant MIN_TIMESTAMP = Instant.parse("1970-01-01T00:00:01Z");
    private static final Instant MAX_TIMESTAMP = Instant.parse("2038-01-19T03:14:07.999999Z");

    private final UnixTimestampUnit unit;
    private final ZoneId zone;
    /** What error messages add about a number read as a Unix time. */
    private final String unixHint;

    TemporalCoercion(UnixTimestampUnit unit, ZoneId zone) {
        this.unit = Objects.requireNonNull(unit, "unit");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.unixHint = " (read as Unix " + unit.name().toLowerCase(java.util.Locale.ROOT)
                + "; check the unix timestamp unit)";
    }

    /**
     * LocalDate for DATE (a time part is dropped, as MySQL does), LocalDateTime otherwise.
     * Fractional seconds are kept: the server rounds them to the column's precision.
     */
    Object apply(Object value, Column column, ColumnKind kind) {
        LocalDateTime dateTime = read(value, column);
        return kind == ColumnKind.DATE ? dateTime.toLocalDate() : dateTime;
    }

    private LocalDateTime read(Object value, Column column) {
        if (value instanceof Number) {
            return fromUnix(value, column);
        }
        if (!(value instanceof CharSequence)) {
            throw new ConversionException(value, column, "is not a date/time");
        }
        String text = value.toString().trim();
        if (looksNumeric(text) && NUMERIC.matcher(text).matches()) {
            return fromUnix(value, column);
        }
        try {
            return checkRange(IsoDateTimes.parse(text, zone), value, column, "");
        } catch (DateTimeParseException e) {
            throw new ConversionException(value, column,
                    "is not a valid date/time (expected ISO-8601 such as 2024-04-09 13:10:00)");
        }
    }

    /** A cheap pre-check so ISO text (the common case) does not pay for the regular expression. */
    private static boolean looksNumeric(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '-' && i > 0 || c == ':' || c == 'T' || c == ' ') {
                return false;
            }
        }
        return true;
    }

    private LocalDateTime fromUnix(Object value, Column column) {
        if (unit == UnixTimestampUnit.NONE) {
            throw new ConversionException(value, column, "is a number; to read numbers as Unix timestamps "
                    + "set the unix timestamp unit option (" + EnumOptions.allowed(UnixTimestampUnit.class) + ")");
        }
        BigDecimal amount = Numbers.toDecimal(value, column, "a Unix timestamp");
        String hint = unixHint; // built once: this runs for every Unix-time value
        try {
            return checkRange(LocalDateTime.ofInstant(unit.toInstant(amount), zone), value, column, hint);
        } catch (ArithmeticException | DateTimeException e) {
            throw new ConversionException(value, column, "is out of range" + hint);
        }
    }

    private LocalDateTime checkRange(LocalDateTime dateTime, Object value, Column column, String hint) {
        boolean inRange;
        String range;
        if (column.baseType().equals("TIMESTAMP")) {
            Instant instant = dateTime.atZone(zone).toInstant();
            inRange = !instant.isBefore(MIN_TIMESTAMP) && !instant.isAfter(MAX_TIMESTAMP);
            range = "1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC";
        } else {
            inRange = dateTime.getYear() >= MIN_YEAR && dateTime.getYear() <= MAX_YEAR;
            range = "years " + MIN_YEAR + " to " + MAX_YEAR;
        }
        if (!inRange) {
            throw new ConversionException(value, column, "is out of range for " + column.baseType()
                    + " (" + range + ")" + hint);
        }
        return dateTime;
    }
}
