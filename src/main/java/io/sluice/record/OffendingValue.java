package io.sluice.record;

/** Renders offending values for messages; truncated so a huge payload cannot flood the logs. */
final class OffendingValue {
    private static final int MAX_CHARS = 200;

    private OffendingValue() {
    }

    /** The value as plain text, or null for null. */
    static String raw(Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof byte[] bytes ? "<" + bytes.length + " bytes>" : String.valueOf(value);
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...";
    }

    /** Strings quoted so {@code "42"} and {@code 42} are distinguishable in an error. */
    static String quoted(Object value) {
        return value instanceof CharSequence ? "\"" + raw(value) + "\"" : String.valueOf(raw(value));
    }
}
