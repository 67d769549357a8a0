package io.sluice.record;

/**
 * One value that could not be written as given; enough to log or report it without the message.
 *
 * @param field      source field (the configured path when the field was missing)
 * @param columnType as in {@link Column#displayType()}
 * @param value      the offending value as text, null when it was null or missing
 */
public record DirtyField(String field, String column, String columnType, String value, String reason) {
}
