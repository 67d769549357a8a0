package io.sluice.maxcompute;

import io.sluice.change.ChangeColumn;
import io.sluice.change.DateTimeText;
import io.sluice.change.MySqlType;
import io.sluice.change.RowImage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One source table as the link's sink writes it: its {@link ChangeTableWriter} (the buffered rows of {@code _base}
 * and {@code _log}), the source names of its columns and its key; and the conversion of a row image to the writer's
 * values.
 */
final class SinkTable {

    /** {@code database.table} of the source (the destination's names). */
    final String sourceName;
    final ChangeTableWriter writer;
    /** The source column names, parallel to the layout's source columns (which may be re-cased). */
    final List<String> sourceColumns = new ArrayList<>();
    /** Source column (lowercase) to the MySQL type last checked against its MaxCompute type. */
    final Map<String, MySqlType> checkedTypes = new HashMap<>();
    List<String> primaryKey;

    SinkTable(String sourceName, ChangeTableWriter writer, List<String> sourceColumns, List<String> primaryKey) {
        this.sourceName = sourceName;
        this.writer = writer;
        this.sourceColumns.addAll(sourceColumns);
        this.primaryKey = primaryKey;
    }

    /** The MaxCompute table name without {@code _base}/{@code _log}. */
    String table() {
        return writer.layout().table();
    }

    int indexOf(String column) {
        for (int i = 0; i < sourceColumns.size(); i++) {
            if (sourceColumns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The column's name now: a name the table lacks that was renamed (a row or DDL replayed after a restart, from before
     * later renames) is followed through its renames to a column the table has.
     */
    String current(String column, SinkState state) {
        String name = column;
        for (int i = 0; i < 64 && indexOf(name) < 0; i++) {
            name = state.renamedTo(table(), name);
            if (name == null) {
                return column;
            }
        }
        return indexOf(name) >= 0 ? name : column;
    }

    /** The column list of the changes {@link #fill} was made for, and the schema generation it was made in. */
    private List<ChangeColumn> acceptedColumns;
    private long acceptedGeneration = -1;
    /** For each source column of the layout, the name of the row-image entry that fills it (null: none). */
    private String[] fill;
    /** The same as indexes into {@link #acceptedColumns} (-1: none), for row images aligned with that list. */
    private int[] fillIndex;

    /** Whether rows with {@code columns} were checked against this table in schema generation {@code generation}. */
    boolean accepts(List<ChangeColumn> columns, long generation) {
        return columns == acceptedColumns && generation == acceptedGeneration;
    }

    /**
     * Rows with {@code columns} (Debezium's one list per table shape, checked by the caller) are written from now on:
     * which entry of their row images fills which column (renamed ones followed to their current names) is worked out
     * here once, not per row.
     */
    void accept(List<ChangeColumn> columns, long generation, SinkState state) {
        String[] f = new String[sourceColumns.size()];
        int[] fi = new int[sourceColumns.size()];
        java.util.Arrays.fill(fi, -1);
        boolean renames = state.hasRenames();
        for (int k = 0; k < columns.size(); k++) {
            ChangeColumn c = columns.get(k);
            int i = indexOf(renames ? current(c.name(), state) : c.name());
            if (i >= 0) {
                f[i] = c.name();
                fi[i] = k;
            }
        }
        fill = f;
        fillIndex = fi;
        acceptedColumns = columns;
        acceptedGeneration = generation;
    }

    /**
     * A row image (of a change whose columns were {@link #accept accepted}) as values in the layout's source column
     * order; a column the row lacks is NULL.
     */
    Object[] values(Map<String, Object> row) {
        Object[] values = new Object[fill.length];
        List<SourceColumn> columns = writer.layout().sourceColumns(); // parallel to sourceColumns
        // a row image aligned with the accepted columns (the source's own rows) is read by position, not by name
        RowImage aligned = row instanceof RowImage image && image.columns() == acceptedColumns ? image : null;
        for (int i = 0; i < values.length; i++) {
            Object v = aligned != null ? (fillIndex[i] < 0 ? null : aligned.valueAt(fillIndex[i]))
                    : fill[i] == null ? null : row.get(fill[i]);
            // a TIME (STRING in MaxCompute) as MySQL shows it, with the fraction digits its column declares;
            // zero dates go on as they are: McValues gives them their MaxCompute value
            values[i] = v instanceof Duration d ? DateTimeText.time(d, columns.get(i).type().fsp()) : v;
        }
        return values;
    }
}
