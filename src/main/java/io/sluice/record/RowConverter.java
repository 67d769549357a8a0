package io.sluice.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns flattened message fields into a row for the destination table, applying the dirty-data
 * policy. Never throws for bad data: the outcome is in {@link Converted}.
 *
 * <p>NULL handling: a NOT NULL column without default that is not auto-increment must receive a
 * value; a null or missing one makes the row unwritable under either policy. Other NOT NULL
 * columns that get null are omitted so the database default or auto-increment applies, since an
 * explicit NULL would be rejected there. Columns whose field is missing from the message are
 * omitted too (not written as NULL), so defaults apply.
 */
public final class RowConverter {
    private final FieldMapping mapping;
    private final TypeCoercer coercer;
    private final DirtyDataPolicy policy;

    public RowConverter(FieldMapping mapping, TypeCoercer coercer, DirtyDataPolicy policy) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.coercer = Objects.requireNonNull(coercer, "coercer");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Converted convert(Map<String, ?> fields) {
        FieldIndex index = null; // built only when a field is not where its exact path says
        Row row = new Row();
        List<Column> targets = mapping.targetColumns();
        for (int i = 0; i < targets.size(); i++) {
            Column column = targets.get(i);
            String field = mapping.targetPath(i);
            Object raw = fields.get(field);
            if (raw == null) {
                index = index != null ? index : FieldIndex.of(fields);
                field = mapping.resolve(i, index);
                raw = field == null ? null : fields.get(field);
            }
            if (field == null) {
                missing(row, mapping.targetPath(i), column);
            } else {
                convertField(row, field, raw, column);
            }
        }
        List<Column> columns = row.columns.size() == mapping.targetColumns().size()
                ? mapping.targetColumns() : List.copyOf(row.columns);
        return new Converted(columns, row.values.toArray(), List.copyOf(row.dirty), row.writable);
    }

    private void convertField(Row row, String field, Object raw, Column column) {
        Object value;
        try {
            value = coercer.coerce(raw, column);
        } catch (ConversionException e) {
            if (policy == DirtyDataPolicy.STOP) {
                row.dirty(field, column, raw, e.reason(), true);
            } else if (column.requiresValue()) {
                row.dirty(field, column, raw,
                        e.reason() + "; column " + column.name() + " is NOT NULL, cannot write NULL", true);
            } else {
                row.dirty(field, column, raw, e.reason(), false);
                putNull(row, field, column, raw);
            }
            return;
        }
        if (value == null) {
            putNull(row, field, column, raw);
        } else {
            row.write(column, value);
        }
    }

    /** No field for the column: leave it out so the database default applies, unless it has none. */
    private static void missing(Row row, String path, Column column) {
        if (column.requiresValue()) {
            row.dirty(path, column, null, nullIntoNotNull(column) + " (the message has no such field)", true);
        }
    }

    /** Null value: NULL if allowed, omitted if the database can fill it, else dirty. */
    private static void putNull(Row row, String field, Column column, Object raw) {
        if (column.nullable()) {
            row.write(column, null);
        } else if (column.requiresValue()) {
            row.dirty(field, column, raw, nullIntoNotNull(column), true);
        }
        // else: NOT NULL with default or auto-increment, where NULL is rejected; leave it out
    }

    private static String nullIntoNotNull(Column column) {
        return "null into NOT NULL column " + column.name();
    }

    /** Per-row accumulator. */
    private static final class Row {
        final List<Column> columns = new ArrayList<>();
        final List<Object> values = new ArrayList<>();
        final List<DirtyField> dirty = new ArrayList<>();
        boolean writable = true;

        void write(Column column, Object value) {
            columns.add(column);
            values.add(value);
        }

        void dirty(String field, Column column, Object raw, String reason, boolean fatal) {
            dirty.add(new DirtyField(field, column.name(), column.displayType(), OffendingValue.raw(raw), reason));
            writable &= !fatal;
        }
    }
}
