package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.task.SQLTask;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Schema synchronisation: creates {@code <table>_base} and {@code <table>_log} for a {@link TableLayout}, applies
 * ADD COLUMN to both and creates {@code _log} partitions. Every statement is idempotent ({@code IF NOT EXISTS}),
 * so re-applying a schema change after a restart does not fail the link.
 */
public final class SchemaSync {

    private final MaxComputeTarget target;
    private final Odps odps;

    public SchemaSync(MaxComputeTarget target) {
        this.target = target;
        this.odps = target.odps();
    }

    /** Creates both tables unless they exist. */
    public void createTables(TableLayout layout) {
        run(createBaseSql(layout), "create " + layout.baseTable());
        run(createLogSql(layout), "create " + layout.logTable());
    }

    /** Adds a source column to both tables (a no-op where it exists) and returns the new layout. */
    public TableLayout addColumn(TableLayout layout, SourceColumn column) {
        TableLayout next = layout.withColumn(column);
        Column added = next.baseColumns().get(next.baseColumns().size() - 1);
        for (String table : List.of(layout.baseTable(), layout.logTable())) {
            run("ALTER TABLE " + name(table) + " ADD COLUMNS IF NOT EXISTS (" + definition(added) + ");",
                    "add column " + column.name() + " to " + table);
        }
        return next;
    }

    /** Renames a source column in both tables ({@code CHANGE COLUMN old RENAME TO new}) and returns the new layout. */
    public TableLayout renameColumn(TableLayout layout, String column, String newName) {
        TableLayout next = layout.withRenamed(column, newName);
        for (String table : List.of(layout.baseTable(), layout.logTable())) {
            if (hasColumn(table, column)) { // a replay after a restart finds a table already renamed
                run("ALTER TABLE " + name(table) + " CHANGE COLUMN `" + column + "` RENAME TO `" + newName + "`;",
                        "rename column " + column + " of " + table + " to " + newName);
            }
        }
        return next;
    }

    private boolean hasColumn(String table, String column) {
        try {
            return odps.tables().get(table).getSchema().getColumns().stream()
                    .anyMatch(c -> c.getName().equalsIgnoreCase(column));
        } catch (RuntimeException e) {
            throw new MaxComputeException("MaxCompute " + target.project() + ": could not read table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /** Empties {@code _base} (a full load that starts again). */
    public void truncateBase(TableLayout layout) {
        run("TRUNCATE TABLE " + name(layout.baseTable()) + ";", "truncate " + layout.baseTable());
    }

    /** Creates a {@code _log} partition unless it exists. */
    public void createPartition(TableLayout layout, PartitionSpec spec) {
        String values = spec.keys().stream().map(k -> "`" + k + "`='" + spec.get(k) + "'")
                .collect(Collectors.joining(","));
        run("ALTER TABLE " + name(layout.logTable()) + " ADD IF NOT EXISTS PARTITION (" + values + ");",
                "create partition " + spec + " of " + layout.logTable());
    }

    public String createBaseSql(TableLayout layout) {
        return "CREATE TABLE IF NOT EXISTS " + name(layout.baseTable()) + " (" + definitions(layout.baseColumns())
                + ");";
    }

    public String createLogSql(TableLayout layout) {
        String sql = "CREATE TABLE IF NOT EXISTS " + name(layout.logTable()) + " (" + definitions(layout.logColumns())
                + ")";
        if (!layout.partitionColumns().isEmpty()) {
            sql += " PARTITIONED BY (" + definitions(layout.partitionColumns()) + ")";
        }
        return sql + ";";
    }

    private String name(String table) {
        return "`" + target.project() + "`.`" + table + "`";
    }

    private static String definitions(List<Column> columns) {
        return columns.stream().map(SchemaSync::definition).collect(Collectors.joining(", "));
    }

    private static String definition(Column c) {
        return "`" + c.getName() + "` " + c.getTypeInfo().getTypeName();
    }

    private void run(String sql, String what) {
        try {
            SQLTask.run(odps, target.project(), sql, null, null).waitForSuccess(200);
        } catch (OdpsException | RuntimeException e) {
            throw new MaxComputeException("MaxCompute " + target.project() + ": could not " + what + ": "
                    + e.getMessage() + " (SQL: " + sql + ")", e);
        }
    }
}
