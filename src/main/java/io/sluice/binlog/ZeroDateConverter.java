package io.sluice.binlog;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Properties;

/**
 * A Debezium custom converter for DATE, DATETIME and TIMESTAMP columns that keeps MySQL's zero dates
 * ({@code 0000-00-00}).
 *
 * <p>Debezium reads a zero date as "no value" and then writes NULL, or 1970-01-01 when the column is NOT NULL: the
 * latter is indistinguishable from a real 1970-01-01 (pitfall 14); a zero TIMESTAMP read by the snapshot even becomes
 * the column's DEFAULT. A NOT NULL column cannot hold NULL, so a missing value there is a zero date; this converter
 * says so. In a nullable DATE/DATETIME column a zero date and NULL look the same to Debezium and stay NULL.
 *
 * <p>Values become numbers, which the link reads back without parsing text: DATE the epoch day (int32), DATETIME the
 * microseconds since 1970-01-01T00:00 on the wall clock (int64), TIMESTAMP the instant's microseconds since the epoch
 * (int64); a zero date is {@link #ZERO_DAY} or {@link #ZERO_MICROS}, which no MySQL value can be.
 * {@link DebeziumChangeEvents} turns them into {@code LocalDate}, {@code LocalDateTime}, {@code Instant} and
 * {@link ZeroDate}. (They were ISO text at first: writing and parsing it was a tenth of the link thread, BENCHMARKS.md.)
 */
public final class ZeroDateConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    static final String NAME = "sluice_zero_dates";
    /** Schema names of the converted fields, so that the event converter recognises them. */
    static final String DATE_SCHEMA = "io.sluice.change.Date";
    static final String DATETIME_SCHEMA = "io.sluice.change.DateTime";
    static final String TIMESTAMP_SCHEMA = "io.sluice.change.Timestamp";
    /** A zero DATE: below MySQL's first day (1000-01-01, or 0001-01-01 as stored). */
    static final int ZERO_DAY = Integer.MIN_VALUE;
    /** A zero DATETIME or TIMESTAMP. */
    static final long ZERO_MICROS = Long.MIN_VALUE;

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName().toUpperCase(Locale.ROOT);
        if (type.equals("DATE")) {
            registration.register(SchemaBuilder.int32().name(DATE_SCHEMA).optional(), v -> day(column, v));
        } else if (type.equals("DATETIME")) {
            registration.register(SchemaBuilder.int64().name(DATETIME_SCHEMA).optional(), v -> wallMicros(column, v));
        } else if (type.equals("TIMESTAMP")) {
            registration.register(SchemaBuilder.int64().name(TIMESTAMP_SCHEMA).optional(), v -> instantMicros(column, v));
        }
    }

    /**
     * TIMESTAMP as the instant's microseconds, or {@link #ZERO_MICROS}. The binlog stores a zero TIMESTAMP as second
     * 0, which no real TIMESTAMP can be (they start at second 1); the snapshot reads it as no value, which Debezium
     * would replace with the column default.
     */
    private static Long instantMicros(RelationalColumn column, Object raw) {
        Instant i;
        if (raw == null) {
            return column.isOptional() ? null : ZERO_MICROS;
        } else if (raw instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (raw instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (raw instanceof Instant instant) {
            i = instant;
        } else if (raw instanceof java.sql.Timestamp t) {
            i = t.toInstant();
        } else if (raw.toString().startsWith(ZERO_DATE_TEXT)) {
            return ZERO_MICROS;
        } else {
            i = defaultInstant(raw.toString());
        }
        return i.equals(Instant.EPOCH) ? ZERO_MICROS : micros(i.getEpochSecond(), i.getNano());
    }

    /** A column default: Debezium's ISO instant text, or MySQL's 'yyyy-MM-dd HH:mm:ss' (taken as UTC). */
    private static Instant defaultInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            return wallClock(text).toInstant(ZoneOffset.UTC);
        }
    }

    private static Integer day(RelationalColumn column, Object raw) {
        LocalDateTime t = wallClock(raw);
        if (t == null) {
            return raw == null && column.isOptional() ? null : ZERO_DAY;
        }
        return (int) t.toLocalDate().toEpochDay();
    }

    private static Long wallMicros(RelationalColumn column, Object raw) {
        LocalDateTime t = wallClock(raw);
        if (t == null) {
            return raw == null && column.isOptional() ? null : ZERO_MICROS;
        }
        return micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano());
    }

    /** The value as a wall-clock time (a DATE at midnight); null for no value and for a zero date. */
    private static LocalDateTime wallClock(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof LocalDateTime t) {
            return t;
        }
        if (raw instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (raw instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (raw instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        String s = raw.toString();
        if (s.startsWith(ZERO_DATE_TEXT)) {
            return null;
        }
        // default values and other textual forms: 'yyyy-MM-dd[ HH:mm:ss[.f]]'
        return LocalDateTime.parse(s.length() == 10 ? s + "T00:00:00" : s.replace(' ', 'T'));
    }

    private static final String ZERO_DATE_TEXT = "0000-00-00";

    /** Microseconds of a second and nanosecond count (sub-microsecond digits dropped: MySQL keeps six). */
    private static long micros(long epochSecond, int nanos) {
        return epochSecond * 1_000_000 + nanos / 1000;
    }
}
