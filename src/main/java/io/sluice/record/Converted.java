package io.sluice.record;

import java.util.List;

/**
 * One converted row.
 *
 * @param columns     the columns to INSERT for this row, in table order: the mapping's target
 *                    columns minus those the message had no field for (and minus NOT NULL
 *                    columns with a default that received NULL), so the database fills in
 *                    defaults and auto-increment values. Equal to
 *                    {@link FieldMapping#targetColumns()} when nothing was omitted.
 * @param values      aligned with {@code columns}; a dirty value set to NULL under policy NULL
 * @param dirtyFields every value that could not be written as given, possibly empty
 * @param writable    false when the row must not be written (policy STOP saw a dirty field, or
 *                    a NOT NULL column without default would get no value)
 */
public record Converted(List<Column> columns, Object[] values, List<DirtyField> dirtyFields, boolean writable) {
}
