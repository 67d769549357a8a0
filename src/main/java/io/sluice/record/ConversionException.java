package io.sluice.record;

/**
 * One value that cannot be stored in one column. Unchecked because every value goes through
 * {@link TypeCoercer}; {@link RowConverter} catches it per field to apply the dirty-data policy.
 * The message reads like {@code value "abc" is not an integer for column qty INT}.
 */
public class ConversionException extends RuntimeException {
    private final String reason;

    public ConversionException(Object value, Column column, String reason) {
        super("value " + OffendingValue.quoted(value) + " " + reason + " for column " + column.describe());
        this.reason = reason;
    }

    /** The "why" part alone (e.g. {@code is out of range -128..127}), for dirty-data reports. */
    public String reason() {
        return reason;
    }
}
