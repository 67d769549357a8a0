package io.sluice.change;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * DATETIME and TIME values as MySQL's text, {@code uuuu-MM-dd HH:mm:ss[.f]} and {@code [-]HH:mm:ss[.f]}, with the
 * fraction digits the column declares, as MySQL shows them and Canal JSON carries them. The one place that writes this
 * text: Canal JSON, the row filters and the MaxCompute sink's STRING columns all use it, so a value reads the same
 * everywhere. Written by hand: {@link DateTimeFormatter} builds a {@code StringBuilder} per value, which was a
 * noticeable part of the MySQL -> Kafka link's thread (BENCHMARKS.md). Years outside 0-9999 (which MySQL cannot store)
 * go through the formatter, so the result is always the formatter's.
 */
public final class DateTimeText {

    private static final DateTimeFormatter SQL_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    private DateTimeText() {
    }

    /** MySQL's text of a DATETIME with {@code fsp} fraction digits: {@code 2024-01-02 03:04:05.120}. */
    static String sql(LocalDateTime t, int fsp) {
        int digits = Math.max(0, Math.min(fsp, 9));
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return SQL_SECONDS.format(t) + fraction(t.getNano(), digits);
        }
        char[] c = new char[digits == 0 ? 19 : 20 + digits];
        date(c, t);
        c[10] = ' ';
        time(c, 11, t);
        if (digits > 0) {
            c[19] = '.';
            digits(c, 20, t.getNano() / POW10[9 - digits], digits);
        }
        return new String(c);
    }

    /**
     * MySQL's text of a TIME with {@code fsp} fraction digits (its declared precision, 0-6): {@code -838:59:59.000000}
     * for TIME(6), {@code 00:00:00.500} for TIME(3), {@code 01:02:03} for TIME(0). Hours take as many digits as they
     * need (at least two): a TIME spans -838:59:59 .. 838:59:59.
     */
    public static String time(Duration d, int fsp) {
        Duration abs = d.abs();
        long seconds = abs.getSeconds();
        long hours = seconds / 3600;
        int digits = Math.max(0, Math.min(fsp, 9));
        int hourWidth = hours < 100 ? 2 : Long.toString(hours).length();
        int sign = d.isNegative() ? 1 : 0;
        char[] c = new char[sign + hourWidth + 6 + (digits == 0 ? 0 : digits + 1)];
        if (sign == 1) {
            c[0] = '-';
        }
        int at = sign;
        long h = hours;
        for (int i = at + hourWidth - 1; i >= at; i--) {
            c[i] = (char) ('0' + h % 10);
            h /= 10;
        }
        at += hourWidth;
        c[at] = ':';
        digits(c, at + 1, (int) (seconds / 60 % 60), 2);
        c[at + 3] = ':';
        digits(c, at + 4, (int) (seconds % 60), 2);
        if (digits > 0) {
            c[at + 6] = '.';
            digits(c, at + 7, abs.getNano() / POW10[9 - digits], digits);
        }
        return new String(c);
    }

    /** The fraction digits a value needs (its nanoseconds without trailing zeros, at most 9): for text of unknown precision. */
    public static int fractionDigits(int nanos) {
        if (nanos == 0) {
            return 0;
        }
        int digits = 9;
        while (nanos % 10 == 0) {
            nanos /= 10;
            digits--;
        }
        return digits;
    }

    /** {@code .} and the first {@code digits} digits of the nanoseconds; empty for 0 digits. */
    static String fraction(int nanos, int digits) {
        if (digits <= 0) {
            return "";
        }
        int d = Math.min(digits, 9);
        char[] c = new char[d + 1];
        c[0] = '.';
        digits(c, 1, nanos / POW10[9 - d], d);
        return new String(c);
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private static void date(char[] c, LocalDateTime t) {
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
    }

    private static void time(char[] c, int at, LocalDateTime t) {
        digits(c, at, t.getHour(), 2);
        c[at + 2] = ':';
        digits(c, at + 3, t.getMinute(), 2);
        c[at + 5] = ':';
        digits(c, at + 6, t.getSecond(), 2);
    }

    /** {@code value} as exactly {@code width} decimal digits (zero-padded) at {@code c[at]}. */
    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
