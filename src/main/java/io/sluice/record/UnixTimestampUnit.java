package io.sluice.record;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** How numbers headed for temporal columns are read; NONE means numbers there are errors. */
public enum UnixTimestampUnit {
    NONE(-1), SECONDS(0), MILLISECONDS(3), MICROSECONDS(6);

    /** Decimal digits to shift to get seconds; exact, so large epochs never pass through double. */
    private final int digitsBelowSecond;

    UnixTimestampUnit(int digitsBelowSecond) {
        this.digitsBelowSecond = digitsBelowSecond;
    }

    /** Parses a route option value: none, seconds, milliseconds, microseconds (any case). */
    public static UnixTimestampUnit parse(String option) {
        return EnumOptions.parse(UnixTimestampUnit.class, option, "unix timestamp unit");
    }

    /**
     * The instant {@code amount} units after the epoch (fractions allowed, e.g. 1.5 seconds).
     *
     * @throws ArithmeticException or java.time.DateTimeException when far outside Instant's range
     */
    Instant toInstant(BigDecimal amount) {
        if (this == NONE) {
            throw new IllegalStateException("no unix timestamp unit configured");
        }
        BigDecimal seconds = amount.movePointLeft(digitsBelowSecond);
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        int nanos = seconds.subtract(whole).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }
}
