package io.sluice.maxcompute;

import io.sluice.change.DateTimeText;
import io.sluice.change.MySqlType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /** A row image as values in the layout's source column order; a column the row lacks is NULL. */
    Object[] values(Map<String, Object> row, SinkState state) {
        Object[] values = new Object[sourceColumns.size()];
        Map<String, Object> byName = new LinkedHashMap<>();
        boolean renames = state.hasRenames();
        row.forEach((k, v) -> byName.put((renames ? current(k, state) : k).toLowerCase(Locale.ROOT), v));
        List<SourceColumn> columns = writer.layout().sourceColumns(); // parallel to sourceColumns
        for (int i = 0; i < values.length; i++) {
            Object v = byName.get(sourceColumns.get(i).toLowerCase(Locale.ROOT));
            // a TIME (STRING in MaxCompute) as MySQL shows it, with the fraction digits its column declares;
            // zero dates go on as they are: McValues gives them their MaxCompute value
            values[i] = v instanceof Duration d ? DateTimeText.time(d, columns.get(i).type().fsp()) : v;
        }
        return values;
    }
}
