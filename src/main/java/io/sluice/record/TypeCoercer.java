package io.sluice.record;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Converts one source value into a JDBC-bindable value for one column, or explains why not.
 * Null stays null: whether the column may hold it is the row converter's decision.
 *
 * <p>Results: Long/BigInteger (integers, YEAR, BIT(n)), BigDecimal (DECIMAL), Double
 * (FLOAT/DOUBLE), String (char, text, JSON, TIME), byte[] (binary), Boolean (BOOLEAN, BIT(1)),
 * LocalDate (DATE), LocalDateTime (DATETIME, TIMESTAMP).
 */
public final class TypeCoercer {
    private final TemporalCoercion temporal;

    /** No Unix timestamps, UTC. */
    public TypeCoercer() {
        this(UnixTimestampUnit.NONE, ZoneOffset.UTC);
    }

    /** @param zone renders Unix timestamps and offset-carrying ISO values as wall-clock time */
    public TypeCoercer(UnixTimestampUnit unit, ZoneId zone) {
        this.temporal = new TemporalCoercion(unit, zone);
    }

    /** @throws ConversionException naming value, column, type and reason */
    public Object coerce(Object value, Column column) {
        if (value == null) {
            return null;
        }
        ColumnKind kind = ColumnKind.of(column);
        return switch (kind) {
            case INTEGER, YEAR -> IntegerCoercion.apply(value, column);
            case DECIMAL -> DecimalCoercion.decimal(value, column);
            case FLOATING -> DecimalCoercion.floating(value, column);
            case BOOLEAN -> BooleanCoercion.apply(value, column);
            case CHARS -> TextCoercion.chars(value, column);
            case TEXT -> TextCoercion.text(value, column);
            case BINARY, BLOB -> BinaryCoercion.apply(value, column, kind);
            case DATE, DATETIME -> temporal.apply(value, column, kind);
            case TIME -> TimeCoercion.apply(value, column);
            case JSON -> JsonCoercion.apply(value, column);
            // ENUM, SET, spatial and vendor types: we know no rule, so the driver and server judge
            // the value; only structures are turned into JSON text since they cannot be bound.
            case UNKNOWN -> TextCoercion.isStructured(value) ? JsonCoercion.write(value, column) : value;
        };
    }
}
