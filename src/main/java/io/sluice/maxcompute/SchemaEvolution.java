package io.sluice.maxcompute;

import io.sluice.change.ChangeColumn;
import io.sluice.change.ChangeEvent;
import io.sluice.change.MySqlType;
import io.sluice.change.SchemaChange;
import io.sluice.base.PrecheckItem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.sluice.maxcompute.SinkErrors.abbreviate;

/**
 * The link's MaxCompute tables following the source's schema: a source table's {@code _base}/{@code _log} are created
 * (or, written by an earlier run, reopened in their own column order) when the table is first seen, by its
 * {@code CREATE TABLE} or its first row, after the conflicting-tables policy ({@link ConflictingTables}) allowed it;
 * the structured schema changes the source read from its DDL ({@link SchemaChange}, destination names applied) are
 * applied to both tables where that is safe, and a column a row carries that the table lacks is added. A change
 * MaxCompute would need to follow (a type change, a dropped column added again) halts the link with the fix. What must
 * survive a restart (tables created, columns dropped and renamed) is in the link's {@link SinkState}.
 */
final class SchemaEvolution {

    private final SinkSettings settings;
    private final SinkState state;
    private final GroupOrdinals ordinals;
    private final SinkErrors errors;
    private final ProjectTables project;
    /** The writers of the tables of the batches since the last failure. */
    private final Map<String, SinkTable> tables = new LinkedHashMap<>();
    /** Layouts and keys of tables seen, kept across failures (for the merge SQL). */
    private final Map<String, SinkTable> seen = new LinkedHashMap<>();

    SchemaEvolution(SinkSettings settings, SinkState state, GroupOrdinals ordinals, SinkErrors errors) {
        this.settings = settings;
        this.state = state;
        this.ordinals = ordinals;
        this.errors = errors;
        this.project = new ProjectTables(settings.target(), errors);
    }

    /** Counts the DDL events applied: a table's check of a column list holds within one generation. */
    private long generation;

    /** Drops the writers with their buffers (after a failure: the retried batch starts clean). */
    void dropWriters() {
        tables.clear();
    }

    /** A table seen by this sink since it started, by its MaxCompute or source name (with or without database). */
    SinkTable seen(String table) {
        return seen.values().stream()
                .filter(x -> x.table().equalsIgnoreCase(table) || x.sourceName.equalsIgnoreCase(table)
                        || x.sourceName.substring(x.sourceName.indexOf('.') + 1).equalsIgnoreCase(table))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table " + table + " has not been written by this link "
                        + "since it started; known: " + seen.values().stream().map(SinkTable::table).toList()));
    }

    /**
     * The table of a row change, opened when first seen; a column the row carries that the table lacks is added, one
     * whose type changed is checked (both: a DDL this sink did not see).
     */
    SinkTable forRow(ChangeEvent e) {
        String key = e.database() + "." + e.table();
        SinkTable t = tables.get(key);
        if (t == null) {
            t = open(e.database(), e.table(), e.columns().stream()
                    .map(c -> new SourceColumn(c.name(), c.type())).toList(), e.keyNames());
        }
        if (t.accepts(e.columns(), generation)) {
            return t; // the rows of one table shape carry one column list: checked once, not per row
        }
        if (!e.keyNames().isEmpty()) {
            t.primaryKey = e.keyNames();
        }
        for (ChangeColumn c : e.columns()) {
            String name = t.current(c.name(), state);
            if (t.indexOf(name) < 0) { // a column added while we did not see the DDL
                addColumn(t, name, c.type());
            } else if (!c.type().equals(t.checkedTypes.get(name.toLowerCase(Locale.ROOT)))) {
                checkType(t, name, c.type(), null); // changed while we did not see the DDL
            }
            if (state.dropped(t.writer.layout().table(), name)) {
                throw errors.halt(reAdded(t, name, null), null);
            }
        }
        t.accept(e.columns(), generation, state);
        return t;
    }

    /** A writer for a source table (its tables created unless they exist) from its columns (source names). */
    private SinkTable open(String database, String table, List<SourceColumn> sourceColumns,
                           List<String> primaryKey) {
        String key = database + "." + table;
        String mcTable = table;
        // tables written before (by an earlier run) are written in their own column order (the tunnel is positional,
        // and an ADD COLUMN ... AFTER on the source only appends in MaxCompute), their columns the source no longer
        // has included (as NULL); the source's other columns are added by the caller
        List<SourceColumn> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<com.aliyun.odps.Column> existingBase = project.columns(mcTable + "_base");
        conflictCheck(key, mcTable, !existingBase.isEmpty());
        for (com.aliyun.odps.Column existing : existingBase) {
            SourceColumn c = sourceColumns.stream()
                    .filter(x -> x.name().equalsIgnoreCase(existing.getName()))
                    .findFirst().orElse(null);
            String mcType = existing.getTypeInfo().getTypeName();
            if (c != null && !maxComputeType(key, c).equalsIgnoreCase(mcType)) {
                throw errors.halt(typeChanged(key, mcTable, existing.getName(), mcType, c, null), null);
            }
            columns.add(new SourceColumn(existing.getName(), c != null ? c.type()
                    : MaxComputeTypes.mysqlTypeOf(existing.getTypeInfo())));
            names.add(c != null ? c.name() : existing.getName());
        }
        if (columns.isEmpty()) {
            for (SourceColumn c : sourceColumns) {
                columns.add(c);
                names.add(c.name());
            }
        }
        TableLayout layout;
        try {
            layout = new TableLayout(mcTable, columns, settings.namingRule(), settings.partitionLevels());
        } catch (IllegalArgumentException clash) {
            throw errors.halt(clash.getMessage(), clash);
        }
        ChangeTableWriter writer = new ChangeTableWriter(settings.target(), layout, settings.options());
        MaxComputeTarget target = settings.target();
        String server = target.tunnelEndpoint() != null && !target.tunnelEndpoint().isBlank() ? target.tunnelEndpoint()
                : target.endpoint();
        writer.onFailedAttempt(message -> errors.log(MaxComputeComponent.UPLOAD_RETRY,
                message + " (MaxCompute tunnel at " + server + ")"));
        errors.guard(mcTable, writer::createTables);
        SinkTable t = new SinkTable(key, writer, names, primaryKey);
        tables.put(key, t);
        seen.put(key, t);
        errors.log("maxcompute-table", "writing " + key + " into " + layout.baseTable() + " and "
                + layout.logTable() + " of project " + settings.target().project());
        return t;
    }

    /**
     * The conflicting-tables check, before anything of source table {@code key} is written: its tables exist and this
     * link did not create them (its state records the tables it creates, before creating them, so a restart passes).
     */
    private void conflictCheck(String key, String mcTable, boolean baseExists) {
        String base = mcTable + "_base";
        String log = mcTable + "_log";
        List<String> conflicting = new ArrayList<>();
        for (String t : List.of(base, log)) {
            if ((t.equals(base) ? baseExists : project.exists(t)) && !state.created(t)) {
                conflicting.add(t);
            }
        }
        if (conflicting.isEmpty()) {
            state.addCreated(base);
            state.addCreated(log);
            state.store(ordinals.marks()); // before CREATE TABLE: a kill after it must not make them foreign
            return;
        }
        if (settings.conflictingTables() == ConflictingTables.IGNORE) {
            errors.log("conflicting-tables", "tables " + conflicting + " of project " + settings.target().project()
                    + " exist and were not created by this link; conflictingTables=ignore: writing " + key + " into them");
            return;
        }
        throw errors.halt(PrecheckItem.failures(errors.link(), List.of(PrecheckItem.fail(
                "conflicting tables", "source table " + key + ": MaxCompute project " + settings.target().project()
                        + " already has table" + (conflicting.size() > 1 ? "s " : " ") + String.join(" and ", conflicting)
                        + ", not created by this link (nothing was written to " + (conflicting.size() > 1 ? "them" : "it")
                        + ")",
                "drop or rename " + String.join(" and ", conflicting) + " in MaxCompute, or leave " + key
                        + " out of the link's tables, or set conflictingTables=ignore on the maxcompute sink to append "
                        + "to the existing tables, then start the link again"))), null);
    }

    /**
     * A DDL event: a CREATE TABLE creates the table's tables before its first row; an ALTER TABLE's column clauses
     * are applied ({@link #columnChange}), its other clauses reported as not applied; any other statement is reported.
     */
    void apply(ChangeEvent e) {
        generation++; // whatever the statement changes, rows after it are checked again
        SchemaChange change = e.schemaChange();
        if (change != null && change.isCreateTable() && e.table() != null && !e.table().isEmpty()) {
            // schema sync: the tables exist before the table's first row
            String key = e.database() + "." + e.table();
            if (!tables.containsKey(key)) {
                List<SourceColumn> columns = change.columns().stream()
                        .map(c -> new SourceColumn(c.name(), c.type())).toList();
                SinkTable t = open(e.database(), e.table(), columns, change.primaryKey());
                for (SourceColumn c : columns) { // columns an existing table lacks
                    if (t.indexOf(c.name()) < 0) {
                        addColumn(t, c.name(), c.type());
                    }
                }
            }
            return;
        }
        if (e.position().snapshot()) {
            return; // the snapshot's other DDL (DROP TABLE IF EXISTS, CREATE DATABASE ...)
        }
        if (change == null || change.isCreateTable() || change.changes().isEmpty()) {
            errors.log("ddl-skipped", "DDL not applied to MaxCompute (only the column clauses of ALTER TABLE are): "
                    + abbreviate(e.ddl()));
            return;
        }
        String key = e.database() + "." + e.table();
        SinkTable t = tables.containsKey(key) ? tables.get(key) : openExisting(e.database(), e.table());
        if (t == null) {
            errors.log("ddl-deferred", "column change on " + key + " before any of its rows: its tables are created "
                    + "from its first row, which carries the change");
            return;
        }
        for (SchemaChange.ColumnChange c : change.changes()) {
            columnChange(t, c, e.ddl());
        }
        if (!change.skipped().isEmpty()) {
            errors.log("ddl-skipped", "clauses not applied to MaxCompute: " + abbreviate(String.join(", ",
                    change.skipped())));
        }
    }

    /** The writer of a source table whose MaxCompute tables exist (written by an earlier run); null when they do not. */
    private SinkTable openExisting(String database, String table) {
        String mcTable = table; // the source gives the destination's names (renames, capitalisation)
        return project.columns(mcTable + "_base").isEmpty() ? null
                : open(database, table, List.of(), List.of());
    }

    /**
     * One column clause of a source ALTER TABLE, applied to both tables where that is safe: ADD COLUMN (added), RENAME
     * COLUMN and CHANGE with a new name (renamed: {@code CHANGE COLUMN a RENAME TO b}, the data kept), MODIFY/CHANGE
     * with a type that maps to the column's MaxCompute type (nothing to do), DROP COLUMN (kept in MaxCompute, NULL from
     * then on, remembered). A type change MaxCompute would need to follow, or a dropped column added again, halts the
     * link with the fix. Each is a no-op when replayed after a restart.
     */
    private void columnChange(SinkTable t, SchemaChange.ColumnChange c, String ddl) {
        String table = t.writer.layout().table();
        switch (c.action()) {
            case ADD -> {
                if (t.indexOf(c.name()) < 0) {
                    addColumn(t, c.name(), c.type());
                    state.undrop(table, c.name());
                    state.unrename(table, c.name());
                } else if (state.dropped(table, c.name())) {
                    throw errors.halt(reAdded(t, c.name(), ddl), null);
                }
            }
            case RENAME, CHANGE -> {
                if (!c.name().equalsIgnoreCase(c.newName())) {
                    renameColumn(t, c.name(), c.newName(), ddl);
                }
                if (c.action() == SchemaChange.Action.CHANGE) {
                    checkType(t, t.current(c.newName(), state), c.type(), ddl);
                }
            }
            case MODIFY -> checkType(t, t.current(c.name(), state), c.type(), ddl);
            case DROP -> {
                String name = t.current(c.name(), state);
                if (t.indexOf(name) >= 0 && !state.dropped(table, name)) {
                    state.addDropped(table, name);
                    errors.log("maxcompute-drop-column", "column " + name + " dropped on the source is kept in "
                            + t.writer.layout().baseTable() + " and " + t.writer.layout().logTable()
                            + " (their earlier rows keep its values); rows from now on have it NULL");
                }
            }
        }
    }

    private void renameColumn(SinkTable t, String column, String newName, String ddl) {
        int from = t.indexOf(column);
        if (from < 0) {
            return; // replayed after a restart: renamed already (or a column never seen: added when a row carries it)
        }
        String mcName = newName;
        if (t.indexOf(newName) >= 0) {
            throw errors.halt("table " + t.sourceName + ": `" + abbreviate(ddl) + "` renames column " + column + " to "
                    + newName + ", but " + t.writer.layout().baseTable() + " already has a column " + mcName
                    + "; rename or drop that column in MaxCompute, then start the link again", null);
        }
        String old = t.writer.layout().sourceColumns().get(from).name();
        errors.guard(t.writer.layout().table(), () -> t.writer.renameColumn(old, mcName));
        state.addRenamed(t.writer.layout().table(), column, newName);
        t.sourceColumns.set(from, newName);
        t.checkedTypes.remove(column.toLowerCase(Locale.ROOT));
        errors.log("maxcompute-rename-column", "renamed column " + old + " to " + mcName + " in "
                + t.writer.layout().baseTable() + " and " + t.writer.layout().logTable());
    }

    /** Halts the link when {@code type} no longer maps to the column's MaxCompute type. */
    private void checkType(SinkTable t, String column, MySqlType type, String ddl) {
        int i = t.indexOf(column);
        if (i < 0) {
            return;
        }
        String mcType = t.writer.layout().baseColumns().get(i).getTypeInfo().getTypeName();
        if (!maxComputeType(t.sourceName, new SourceColumn(column, type)).equalsIgnoreCase(mcType)) {
            throw errors.halt(typeChanged(t.sourceName, t.writer.layout().table(), t.writer.layout().sourceColumns()
                    .get(i).name(), mcType, new SourceColumn(column, type), ddl), null);
        }
        t.checkedTypes.put(column.toLowerCase(Locale.ROOT), type);
    }

    private String maxComputeType(String key, SourceColumn c) {
        try {
            return MaxComputeTypes.of(c.type()).getTypeName();
        } catch (IllegalArgumentException e) {
            throw errors.halt("table " + key + ", column " + c.name() + ": " + e.getMessage(), e);
        }
    }

    private static String typeChanged(String key, String mcTable, String column, String mcType, SourceColumn now,
                                      String ddl) {
        String newType = MaxComputeTypes.of(now.type()).getTypeName();
        return "table " + key + ": " + (ddl == null ? "its column " + now.name() + " is now " + now.mysqlType()
                : "`" + abbreviate(ddl) + "` makes column " + now.name() + " " + now.mysqlType())
                + ", which is " + newType + " in MaxCompute, but " + column + " is " + mcType + " in " + mcTable
                + "_base and " + mcTable + "_log. The link does not change column types in MaxCompute (a limited "
                + "schema-evolution feature, not available in every project) and writes nothing after this change. "
                + "Fix: change the column in both tables (ALTER TABLE `" + mcTable + "_base` CHANGE COLUMN `" + column
                + "` `" + column + "` " + newType + "; the same for `" + mcTable + "_log`), or rename it there (CHANGE "
                + "COLUMN `" + column + "` RENAME TO `" + column + "_old`; the link then adds the column with the new "
                + "type), then start the link again: it continues at this change";
    }

    private static String reAdded(SinkTable t, String column, String ddl) {
        String base = t.writer.layout().baseTable();
        String log = t.writer.layout().logTable();
        return "table " + t.sourceName + ": column " + column + " was dropped on the source and is added again"
                + (ddl == null ? "" : " (`" + abbreviate(ddl) + "`)") + ", but " + base + " and " + log + " still hold "
                + "its old values, which the merge would show for rows the source now has without them; nothing after "
                + "this change is written. Fix: rename the old column in both tables (ALTER TABLE `" + base
                + "` CHANGE COLUMN `" + column + "` RENAME TO `" + column + "_dropped`; the same for `" + log + "`), "
                + "then start the link again: it adds the column anew";
    }

    private void addColumn(SinkTable t, String name, MySqlType type) {
        SourceColumn column = new SourceColumn(name, type);
        String table = t.writer.layout().table();
        try {
            errors.guard(table, () -> t.writer.addColumn(column));
        } catch (IllegalArgumentException clash) {
            throw errors.halt(clash.getMessage(), clash);
        }
        t.sourceColumns.add(name);
        errors.log("maxcompute-add-column", "added column " + column.name() + " " + column.mysqlType() + " to "
                + t.writer.layout().baseTable() + " and " + t.writer.layout().logTable());
    }
}
