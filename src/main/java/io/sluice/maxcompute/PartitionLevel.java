package io.sluice.maxcompute;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * DTS's "Partition Definition of Incremental Data Table": the levels of the change time (UTC) that partition a
 * {@code _log} table, as STRING partition columns {@code modifytime_year} ({@code 2024}), {@code modifytime_month}
 * ({@code 04}), {@code modifytime_day} ({@code 09}), {@code modifytime_hour} ({@code 13}), {@code modifytime_minute}
 * ({@code 05}), prefixed by the naming rule. Levels are always used in this order.
 */
public enum PartitionLevel {
    YEAR, MONTH, DAY, HOUR, MINUTE;

    /** The column name before the naming rule's prefix, e.g. {@code modifytime_hour}. */
    public String column() {
        return "modifytime_" + name().toLowerCase(Locale.ROOT);
    }

    /** This level's value for a change at {@code time}, zero-padded (months, days, hours and minutes to 2 digits). */
    public String valueOf(Instant time) {
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        return switch (this) {
            case YEAR -> String.format(Locale.ROOT, "%04d", t.getYear());
            case MONTH -> String.format(Locale.ROOT, "%02d", t.getMonthValue());
            case DAY -> String.format(Locale.ROOT, "%02d", t.getDayOfMonth());
            case HOUR -> String.format(Locale.ROOT, "%02d", t.getHour());
            case MINUTE -> String.format(Locale.ROOT, "%02d", t.getMinute());
        };
    }
}
