package io.sluice.record;

import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TIME columns. MySQL TIME is a duration (-838:59:59..838:59:59), which LocalTime cannot hold,
 * so validated text is passed on as a String and the server parses it.
 */
final class TimeCoercion {
    private static final Pattern TIME = Pattern.compile("-?(\\d{1,3}):([0-5]\\d)(:[0-5]\\d(\\.\\d{1,9})?)?");
    private static final int MAX_HOURS = 838;

    private TimeCoercion() {
    }

    static Object apply(Object value, Column column) {
        if (value instanceof LocalTime time) {
            return time;
        }
        if (value instanceof CharSequence text) {
            String trimmed = text.toString().trim();
            Matcher m = TIME.matcher(trimmed);
            if (m.matches() && Integer.parseInt(m.group(1)) <= MAX_HOURS) {
                return trimmed;
            }
        }
        throw new ConversionException(value, column, "is not a time (expected HH:mm:ss[.fraction])");
    }
}
