package io.sluice.change;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import org.apache.kafka.connect.data.SchemaBuilder;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
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
 * <p>Values become text: {@code 2024-01-02} and {@code 2024-01-02T03:04:05.123456} (always six fraction digits),
 * TIMESTAMP as an ISO instant, zero dates {@link #ZERO_DATE} and {@link #ZERO_DATETIME}; {@link DebeziumChangeEvents}
 * reads them back.
 */
public final class ZeroDateConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

    static final String NAME = "sluice_zero_dates";
    /** Schema names of the converted fields, so that the event converter recognises them. */
    static final String DATE_SCHEMA = "io.sluice.change.Date";
    static final String DATETIME_SCHEMA = "io.sluice.change.DateTime";
    static final String TIMESTAMP_SCHEMA = "io.sluice.change.Timestamp";
    static final String ZERO_DATE = "0000-00-00";
    static final String ZERO_DATETIME = "0000-00-00T00:00:00.000000";

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName().toUpperCase(Locale.ROOT);
        if (type.equals("DATE")) {
            registration.register(SchemaBuilder.string().name(DATE_SCHEMA).optional(), v -> text(column, v, false));
        } else if (type.equals("DATETIME")) {
            registration.register(SchemaBuilder.string().name(DATETIME_SCHEMA).optional(), v -> text(column, v, true));
        } else if (type.equals("TIMESTAMP")) {
            registration.register(SchemaBuilder.string().name(TIMESTAMP_SCHEMA).optional(), v -> instant(column, v));
        }
    }

    /**
     * TIMESTAMP as an ISO instant ({@code 2024-01-01T19:04:05.678Z}) or {@link #ZERO_DATETIME}. The binlog stores a
     * zero TIMESTAMP as second 0, which no real TIMESTAMP can be (they start at second 1); the snapshot reads it as
     * no value, which Debezium would replace with the column default.
     */
    private static String instant(RelationalColumn column, Object raw) {
        Instant i;
        if (raw == null) {
            return column.isOptional() ? null : ZERO_DATETIME;
        } else if (raw instanceof ZonedDateTime z) {
            i = z.toInstant();
        } else if (raw instanceof OffsetDateTime o) {
            i = o.toInstant();
        } else if (raw instanceof Instant instant) {
            i = instant;
        } else if (raw instanceof java.sql.Timestamp t) {
            i = t.toInstant();
        } else if (raw.toString().startsWith(ZERO_DATE)) {
            return ZERO_DATETIME;
        } else {
            return raw.toString(); // a default value, already as Debezium's ISO instant text
        }
        return i.equals(Instant.EPOCH) ? ZERO_DATETIME : i.toString();
    }

    private static String text(RelationalColumn column, Object raw, boolean withTime) {
        if (raw == null) {
            return column.isOptional() ? null : (withTime ? ZERO_DATETIME : ZERO_DATE);
        }
        if (raw instanceof LocalDateTime t) {
            return withTime ? DateTimeText.isoMicros(t) : t.toLocalDate().toString();
        }
        if (raw instanceof LocalDate d) {
            return withTime ? DateTimeText.isoMicros(d.atStartOfDay()) : d.toString();
        }
        if (raw instanceof java.sql.Timestamp t) {
            return text(column, t.toLocalDateTime(), withTime);
        }
        if (raw instanceof java.sql.Date d) {
            return text(column, d.toLocalDate(), withTime);
        }
        String s = raw.toString();
        if (s.startsWith(ZERO_DATE)) {
            return withTime ? ZERO_DATETIME : ZERO_DATE;
        }
        // default values and other textual forms: 'yyyy-MM-dd[ HH:mm:ss[.f]]'
        if (!withTime) {
            return LocalDate.parse(s.substring(0, Math.min(10, s.length()))).toString();
        }
        return DateTimeText.isoMicros(LocalDateTime.parse(s.length() == 10 ? s + "T00:00:00" : s.replace(' ', 'T')));
    }
}
