package io.sluice.maxcompute;

import com.aliyun.odps.OdpsException;
import io.sluice.change.ChangeColumn;
import io.sluice.change.ChangeEvent;
import io.sluice.change.DateTimeText;
import io.sluice.change.MySqlType;
import io.sluice.change.SchemaChange;
import io.sluice.change.SourcePosition;
import io.sluice.link.LinkHaltException;

import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Writes batches of {@link ChangeEvent}s into {@code <table>_base} / {@code <table>_log}: one
 * {@link ChangeTableWriter} per source table, created (with its tables) when the table is first seen. Snapshot rows
 * go to {@code _base}; INSERT/UPDATE/DELETE to {@code _log} with {@code record_id} from the binlog position;
 * {@code ALTER TABLE ... ADD COLUMN} (and any column a row event carries that the table lacks) is added to both
 * tables. {@link #write} flushes every writer it touched before it returns, so the caller commits its binlog position
 * only after MaxCompute committed the rows.
 *
 * <p>Failures: a refused AccessKey, a clash of additional columns with source columns, or a value that does not fit
 * its column throw {@link LinkHaltException} with the fix; anything else (server unreachable, 5xx) is thrown as it is,
 * for the source to retry the batch. After any failure the writers are dropped with their buffers, so the retried
 * batch starts clean (rows committed before the failure are written again with the same record_ids). Driven by one
 * thread at a time.
 */
public final class MaxComputeChangeSink {

    /**
     * Processing mode of conflicting tables (DTS: "Processing Mode of Conflicting Tables"): {@code t_base} or
     * {@code t_log} already in the project, not created by this link.
     */
    public enum ConflictingTables {
        /** "Precheck and Report Errors": the link stops before writing anything of the table, naming it and the fix. */
        PRECHECK,
        /**
         * "Ignore Errors and Proceed": the tables are written as they are (MaxCompute tables are append-only): the full
         * load's rows are appended to {@code t_base} after the rows already there, changes to {@code t_log}; columns
         * are matched by name (the table's order kept, source columns it lacks added, its columns the source lacks
         * written as NULL). A key both among the rows already in {@code t_base} and in the full load is there twice,
         * both as record_id 0, so the merge may give either: DTS's "full sync retains the existing record" is not
         * reproduced. Changes (record_id above 0) win over both, as DTS's "incremental sync overwrites it".
         */
        IGNORE;

        public static ConflictingTables parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("conflictingTables must be precheck or ignore, not '" + s + "'");
            }
        }
    }

    /** Everything the sink needs besides the batches. {@code dataSource}: the name shown in messages. */
    public record Settings(String dataSource, MaxComputeTarget target, NamingRule namingRule,
                           List<PartitionLevel> partitionLevels, WriterOptions options,
                           ConflictingTables conflictingTables) {

        public Settings(String dataSource, MaxComputeTarget target, NamingRule namingRule,
                        List<PartitionLevel> partitionLevels, WriterOptions options) {
            this(dataSource, target, namingRule, partitionLevels, options, ConflictingTables.PRECHECK);
        }
    }

    private final Settings settings;
    /** (link, event, message) into the link's run log. */
    private final BiConsumer<String, String[]> runLog;
    private final Map<String, TableSink> tables = new LinkedHashMap<>();
    /** Where the link's state lives ({@link SinkState}); null: in memory only. */
    private final Function<String, Path> stateDirs;
    /** Loaded with the first batch (the link's id comes with it). */
    private SinkState state;
    private GroupOrdinals ordinals;
    /** Source tables whose full load this sink started (kept across failures: a retried batch must not empty them). */
    private final Set<String> loading = new java.util.HashSet<>();
    /** Layouts and keys of tables seen, kept across failures (for the merge SQL). */
    private final Map<String, TableSink> seen = new LinkedHashMap<>();

    public MaxComputeChangeSink(Settings settings, BiConsumer<String, String[]> runLog) {
        this(settings, runLog, link -> null);
    }

    /** {@code stateDirs}: the state directory of a link (null for none). */
    public MaxComputeChangeSink(Settings settings, BiConsumer<String, String[]> runLog, Function<String, Path> stateDirs) {
        this.settings = settings;
        this.runLog = runLog;
        this.stateDirs = stateDirs;
    }

    private static final class TableSink {
        final String sourceName;
        final ChangeTableWriter writer;
        /** The source column names, parallel to the layout's source columns (which may be re-cased). */
        final List<String> sourceColumns = new ArrayList<>();
        /** Source column (lowercase) to the MySQL type last checked against its MaxCompute type. */
        final Map<String, MySqlType> checkedTypes = new java.util.HashMap<>();
        List<String> primaryKey;

        TableSink(String sourceName, ChangeTableWriter writer, List<String> sourceColumns, List<String> primaryKey) {
            this.sourceName = sourceName;
            this.writer = writer;
            this.sourceColumns.addAll(sourceColumns);
            this.primaryKey = primaryKey;
        }
    }

    /**
     * Writes one batch and commits it in MaxCompute before returning.
     */
    public void write(String link, List<ChangeEvent> batch) {
        if (state == null) {
            state = SinkState.load(stateDirs.apply(link));
            ordinals = new GroupOrdinals(state.marks());
        }
        GroupOrdinals.Mark start = ordinals.position();
        try {
            Set<TableSink> touched = new LinkedHashSet<>();
            for (ChangeEvent e : batch) {
                if (e.isDdl()) {
                    ddl(link, e);
                    continue;
                }
                TableSink t = table(link, e);
                touched.add(t);
                add(link, t, e);
                if (t.writer.bufferedRows() >= settings.options().maxBufferedRows()) {
                    flush(link, t);
                }
            }
            for (TableSink t : touched) {
                flush(link, t);
            }
            if (ordinals.markBatchEnd() | state.dirty()) {
                state.store(ordinals.marks()); // before the source may store its position after this batch
            }
        } catch (RuntimeException e) {
            tables.clear(); // the retried batch starts from empty buffers and the same group counts
            ordinals.reset(start);
            throw e;
        }
    }

    /** The merge SQL of seed 003 for a table seen by this sink: its full content at {@code t} (epoch seconds). */
    public String mergeSql(String table, String resultTable, long t) {
        TableSink s = seen.values().stream()
                .filter(x -> x.writer.layout().table().equalsIgnoreCase(table) || x.sourceName.equalsIgnoreCase(table)
                        || x.sourceName.substring(x.sourceName.indexOf('.') + 1).equalsIgnoreCase(table))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table " + table + " has not been written by this link "
                        + "since it started; known: " + seen.values().stream().map(x -> x.writer.layout().table()).toList()));
        return MergeSql.mergeSql(s.writer.layout(), s.primaryKey, resultTable == null ? s.writer.layout().table() + "_merged"
                : resultTable, t);
    }

    private TableSink table(String link, ChangeEvent e) {
        String key = e.database() + "." + e.table();
        TableSink t = tables.get(key);
        if (t == null) {
            t = open(link, e.database(), e.table(), e.columns().stream()
                    .map(c -> new SourceColumn(c.name(), c.type())).toList(), e.keyNames());
        }
        if (!e.keyNames().isEmpty()) {
            t.primaryKey = e.keyNames();
        }
        for (ChangeColumn c : e.columns()) {
            String name = current(t, c.name());
            if (indexOf(t, name) < 0) { // a column added while we did not see the DDL
                addColumn(link, t, name, c.type());
            } else if (!c.type().equals(t.checkedTypes.get(name.toLowerCase(Locale.ROOT)))) {
                checkType(link, t, name, c.type(), null); // changed while we did not see the DDL
            }
            if (state.dropped(t.writer.layout().table(), name)) {
                throw halt(link, reAdded(t, name, null), null);
            }
        }
        return t;
    }

    /**
     * The column's name now: a name the table lacks that was renamed (a row or DDL replayed after a restart, from before
     * later renames) is followed through its renames to a column the table has.
     */
    private String current(TableSink t, String column) {
        String name = column;
        for (int i = 0; i < 64 && indexOf(t, name) < 0; i++) {
            name = state.renamedTo(t.writer.layout().table(), name);
            if (name == null) {
                return column;
            }
        }
        return indexOf(t, name) >= 0 ? name : column;
    }

    /** A writer for a source table (its tables created unless they exist) from its columns (source names). */
    private TableSink open(String link, String database, String table, List<SourceColumn> sourceColumns,
                           List<String> primaryKey) {
        String key = database + "." + table;
        String mcTable = table;
        // tables written before (by an earlier run) are written in their own column order (the tunnel is positional,
        // and an ADD COLUMN ... AFTER on the source only appends in MaxCompute), their columns the source no longer
        // has included (as NULL); the source's other columns are added by the caller
        List<SourceColumn> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<com.aliyun.odps.Column> existingBase = existingColumns(link, mcTable + "_base");
        conflictCheck(link, key, mcTable, !existingBase.isEmpty());
        for (com.aliyun.odps.Column existing : existingBase) {
            SourceColumn c = sourceColumns.stream()
                    .filter(x -> x.name().equalsIgnoreCase(existing.getName()))
                    .findFirst().orElse(null);
            String mcType = existing.getTypeInfo().getTypeName();
            if (c != null && !maxComputeType(link, key, c).equalsIgnoreCase(mcType)) {
                throw halt(link, typeChanged(key, mcTable, existing.getName(), mcType, c, null), null);
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
            throw halt(link, clash.getMessage(), clash);
        }
        ChangeTableWriter writer = new ChangeTableWriter(settings.target(), layout, settings.options());
        MaxComputeTarget target = settings.target();
        String server = target.tunnelEndpoint() != null && !target.tunnelEndpoint().isBlank() ? target.tunnelEndpoint()
                : target.endpoint();
        writer.onFailedAttempt(message -> runLog.accept(link, new String[] {MaxComputeComponent.UPLOAD_RETRY,
                message + " (MaxCompute tunnel at " + server + ")"}));
        guard(link, mcTable, writer::createTables);
        TableSink t = new TableSink(key, writer, names, primaryKey);
        tables.put(key, t);
        seen.put(key, t);
        runLog(link, "maxcompute-table", "writing " + key + " into " + layout.baseTable() + " and "
                + layout.logTable() + " of project " + settings.target().project());
        return t;
    }

    /**
     * The conflicting-tables check, before anything of source table {@code key} is written: its tables exist and this
     * link did not create them (its state records the tables it creates, before creating them, so a restart passes).
     */
    private void conflictCheck(String link, String key, String mcTable, boolean baseExists) {
        String base = mcTable + "_base";
        String log = mcTable + "_log";
        List<String> conflicting = new ArrayList<>();
        for (String t : List.of(base, log)) {
            if ((t.equals(base) ? baseExists : exists(link, t)) && !state.created(t)) {
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
            runLog(link, "conflicting-tables", "tables " + conflicting + " of project " + settings.target().project()
                    + " exist and were not created by this link; conflictingTables=ignore: writing " + key + " into them");
            return;
        }
        throw halt(link, io.sluice.link.PrecheckItem.failures(link, List.of(io.sluice.link.PrecheckItem.fail(
                "conflicting tables", "source table " + key + ": MaxCompute project " + settings.target().project()
                        + " already has table" + (conflicting.size() > 1 ? "s " : " ") + String.join(" and ", conflicting)
                        + ", not created by this link (nothing was written to " + (conflicting.size() > 1 ? "them" : "it")
                        + ")",
                "drop or rename " + String.join(" and ", conflicting) + " in MaxCompute, or leave " + key
                        + " out of the link's tables, or set conflictingTables=ignore on the maxcompute sink to append "
                        + "to the existing tables, then start the link again"))), null);
    }

    private boolean exists(String link, String table) {
        return readTable(link, table, odps -> odps.tables().exists(table));
    }

    private interface TableRead<T> {
        T read(com.aliyun.odps.Odps odps) throws OdpsException;
    }

    /** Reads something of {@code table} from MaxCompute, failures as {@link #guard} treats them. */
    private <T> T readTable(String link, String table, TableRead<T> read) {
        List<T> result = new ArrayList<>(1);
        guard(link, table, () -> {
            try {
                result.add(read.read(settings.target().odps()));
            } catch (OdpsException ex) {
                throw new MaxComputeException("MaxCompute " + settings.target().project() + ": could not read table "
                        + table + ": " + ex.getMessage(), ex);
            }
        });
        return result.get(0);
    }

    /** The columns of an existing MaxCompute table in their order; empty when there is no such table. */
    private List<com.aliyun.odps.Column> existingColumns(String link, String table) {
        return readTable(link, table, odps -> odps.tables().exists(table)
                ? new ArrayList<>(odps.tables().get(table).getSchema().getColumns()) : List.of());
    }

    private void add(String link, TableSink t, ChangeEvent e) {
        SourcePosition p = e.position();
        String table = t.writer.layout().table();
        try {
            if (p.snapshot()) {
                if (!loading.contains(t.sourceName)) {
                    startLoad(link, t);
                }
                t.writer.addBase(values(t, e.after() != null ? e.after() : e.before()));
                return;
            }
            long recordId = RecordIds.of(p.binlogFile(), p.position(), ordinals.ordinal(p));
            Instant time = Instant.ofEpochMilli(p.eventTimeMs());
            switch (e.operation()) {
                case INSERT -> t.writer.addChange(ChangeRow.insert(recordId, time, values(t, e.after())));
                case UPDATE -> t.writer.addChange(ChangeRow.update(recordId, time, values(t, e.before()),
                        values(t, e.after())));
                case DELETE -> t.writer.addChange(ChangeRow.delete(recordId, time, values(t, e.before())));
                default -> throw new IllegalStateException("not a row change: " + e.operation());
            }
        } catch (IllegalArgumentException dirty) {
            String m = dirty.getMessage() == null ? "" : dirty.getMessage();
            throw halt(link, (m.startsWith(table) ? "" : "table " + table + ": ") + m + " (binlog " + p.binlogFile() + ":"
                    + p.position() + "); fix the source row or the column type, then start the link again", dirty);
        }
    }

    private void ddl(String link, ChangeEvent e) {
        SchemaChange change = e.schemaChange();
        if (change != null && change.isCreateTable() && e.table() != null && !e.table().isEmpty()) {
            // schema sync: the tables exist before the table's first row
            String key = e.database() + "." + e.table();
            if (!tables.containsKey(key)) {
                List<SourceColumn> columns = change.columns().stream()
                        .map(c -> new SourceColumn(c.name(), c.type())).toList();
                TableSink t = open(link, e.database(), e.table(), columns, change.primaryKey());
                for (SourceColumn c : columns) { // columns an existing table lacks
                    if (indexOf(t, c.name()) < 0) {
                        addColumn(link, t, c.name(), c.type());
                    }
                }
            }
            return;
        }
        if (e.position().snapshot()) {
            return; // the snapshot's other DDL (DROP TABLE IF EXISTS, CREATE DATABASE ...)
        }
        if (change == null || change.isCreateTable() || change.changes().isEmpty()) {
            runLog(link, "ddl-skipped", "DDL not applied to MaxCompute (only the column clauses of ALTER TABLE are): "
                    + abbreviate(e.ddl()));
            return;
        }
        String key = e.database() + "." + e.table();
        TableSink t = tables.containsKey(key) ? tables.get(key) : openExisting(link, e.database(), e.table());
        if (t == null) {
            runLog(link, "ddl-deferred", "column change on " + key + " before any of its rows: its tables are created "
                    + "from its first row, which carries the change");
            return;
        }
        for (SchemaChange.ColumnChange c : change.changes()) {
            columnChange(link, t, c, e.ddl());
        }
        if (!change.skipped().isEmpty()) {
            runLog(link, "ddl-skipped", "clauses not applied to MaxCompute: " + abbreviate(String.join(", ",
                    change.skipped())));
        }
    }

    /**
     * The first full-load row of a table in this run: the full load starts (again, when an earlier run was stopped in
     * the middle of it: Debezium repeats an unfinished snapshot from its start). A {@code _base} the link created
     * itself is emptied first, so the repeated load leaves no duplicates or stale rows of the interrupted one; a table
     * of someone else (conflictingTables=ignore) is never emptied.
     */
    private void startLoad(String link, TableSink t) {
        String base = t.writer.layout().baseTable();
        if (state.created(base)) {
            guard(link, base, t.writer::truncateBase);
            runLog(link, "maxcompute-full-load", "full load of " + t.sourceName + " starts: " + base + " emptied");
        }
        loading.add(t.sourceName);
    }

    /** The writer of a source table whose MaxCompute tables exist (written by an earlier run); null when they do not. */
    private TableSink openExisting(String link, String database, String table) {
        String mcTable = table; // the source gives the destination's names (renames, capitalisation)
        return existingColumns(link, mcTable + "_base").isEmpty() ? null
                : open(link, database, table, List.of(), List.of());
    }

    /**
     * One column clause of a source ALTER TABLE, applied to both tables where that is safe: ADD COLUMN (added), RENAME
     * COLUMN and CHANGE with a new name (renamed: {@code CHANGE COLUMN a RENAME TO b}, the data kept), MODIFY/CHANGE
     * with a type that maps to the column's MaxCompute type (nothing to do), DROP COLUMN (kept in MaxCompute, NULL from
     * then on, remembered). A type change MaxCompute would need to follow, or a dropped column added again, halts the
     * link with the fix. Each is a no-op when replayed after a restart.
     */
    private void columnChange(String link, TableSink t, SchemaChange.ColumnChange c, String ddl) {
        String table = t.writer.layout().table();
        switch (c.action()) {
            case ADD -> {
                if (indexOf(t, c.name()) < 0) {
                    addColumn(link, t, c.name(), c.type());
                    state.undrop(table, c.name());
                    state.unrename(table, c.name());
                } else if (state.dropped(table, c.name())) {
                    throw halt(link, reAdded(t, c.name(), ddl), null);
                }
            }
            case RENAME, CHANGE -> {
                if (!c.name().equalsIgnoreCase(c.newName())) {
                    renameColumn(link, t, c.name(), c.newName(), ddl);
                }
                if (c.action() == SchemaChange.Action.CHANGE) {
                    checkType(link, t, current(t, c.newName()), c.type(), ddl);
                }
            }
            case MODIFY -> checkType(link, t, current(t, c.name()), c.type(), ddl);
            case DROP -> {
                String name = current(t, c.name());
                if (indexOf(t, name) >= 0 && !state.dropped(table, name)) {
                    state.addDropped(table, name);
                    runLog(link, "maxcompute-drop-column", "column " + name + " dropped on the source is kept in "
                            + t.writer.layout().baseTable() + " and " + t.writer.layout().logTable()
                            + " (their earlier rows keep its values); rows from now on have it NULL");
                }
            }
        }
    }

    private void renameColumn(String link, TableSink t, String column, String newName, String ddl) {
        int from = indexOf(t, column);
        if (from < 0) {
            return; // replayed after a restart: renamed already (or a column never seen: added when a row carries it)
        }
        String mcName = newName;
        if (indexOf(t, newName) >= 0) {
            throw halt(link, "table " + t.sourceName + ": `" + abbreviate(ddl) + "` renames column " + column + " to "
                    + newName + ", but " + t.writer.layout().baseTable() + " already has a column " + mcName
                    + "; rename or drop that column in MaxCompute, then start the link again", null);
        }
        String old = t.writer.layout().sourceColumns().get(from).name();
        guard(link, t.writer.layout().table(), () -> t.writer.renameColumn(old, mcName));
        state.addRenamed(t.writer.layout().table(), column, newName);
        t.sourceColumns.set(from, newName);
        t.checkedTypes.remove(column.toLowerCase(Locale.ROOT));
        runLog(link, "maxcompute-rename-column", "renamed column " + old + " to " + mcName + " in "
                + t.writer.layout().baseTable() + " and " + t.writer.layout().logTable());
    }

    /** Halts the link when {@code type} no longer maps to the column's MaxCompute type. */
    private void checkType(String link, TableSink t, String column, MySqlType type, String ddl) {
        int i = indexOf(t, column);
        if (i < 0) {
            return;
        }
        String mcType = t.writer.layout().baseColumns().get(i).getTypeInfo().getTypeName();
        if (!maxComputeType(link, t.sourceName, new SourceColumn(column, type)).equalsIgnoreCase(mcType)) {
            throw halt(link, typeChanged(t.sourceName, t.writer.layout().table(), t.writer.layout().sourceColumns()
                    .get(i).name(), mcType, new SourceColumn(column, type), ddl), null);
        }
        t.checkedTypes.put(column.toLowerCase(Locale.ROOT), type);
    }

    private String maxComputeType(String link, String key, SourceColumn c) {
        try {
            return MaxComputeTypes.of(c.type()).getTypeName();
        } catch (IllegalArgumentException e) {
            throw halt(link, "table " + key + ", column " + c.name() + ": " + e.getMessage(), e);
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

    private static String reAdded(TableSink t, String column, String ddl) {
        String base = t.writer.layout().baseTable();
        String log = t.writer.layout().logTable();
        return "table " + t.sourceName + ": column " + column + " was dropped on the source and is added again"
                + (ddl == null ? "" : " (`" + abbreviate(ddl) + "`)") + ", but " + base + " and " + log + " still hold "
                + "its old values, which the merge would show for rows the source now has without them; nothing after "
                + "this change is written. Fix: rename the old column in both tables (ALTER TABLE `" + base
                + "` CHANGE COLUMN `" + column + "` RENAME TO `" + column + "_dropped`; the same for `" + log + "`), "
                + "then start the link again: it adds the column anew";
    }

    private void addColumn(String link, TableSink t, String name, MySqlType type) {
        SourceColumn column = new SourceColumn(name, type);
        String table = t.writer.layout().table();
        try {
            guard(link, table, () -> t.writer.addColumn(column));
        } catch (IllegalArgumentException clash) {
            throw halt(link, clash.getMessage(), clash);
        }
        t.sourceColumns.add(name);
        runLog(link, "maxcompute-add-column", "added column " + column.name() + " " + column.mysqlType() + " to "
                + t.writer.layout().baseTable() + " and " + t.writer.layout().logTable());
    }

    private void flush(String link, TableSink t) {
        guard(link, t.writer.layout().table(), t.writer::flush);
    }

    private static int indexOf(TableSink t, String column) {
        for (int i = 0; i < t.sourceColumns.size(); i++) {
            if (t.sourceColumns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** A row image as values in the layout's source column order; a column the row lacks is NULL. */
    private Object[] values(TableSink t, Map<String, Object> row) {
        Object[] values = new Object[t.sourceColumns.size()];
        Map<String, Object> byName = new LinkedHashMap<>();
        boolean renames = state.hasRenames();
        row.forEach((k, v) -> byName.put((renames ? current(t, k) : k).toLowerCase(Locale.ROOT), v));
        List<SourceColumn> columns = t.writer.layout().sourceColumns(); // parallel to t.sourceColumns
        for (int i = 0; i < values.length; i++) {
            Object v = byName.get(t.sourceColumns.get(i).toLowerCase(Locale.ROOT));
            // a TIME (STRING in MaxCompute) as MySQL shows it, with the fraction digits its column declares;
            // zero dates go on as they are: McValues gives them their MaxCompute value
            values[i] = v instanceof Duration d
                    ? DateTimeText.time(d, columns.get(i).type().fsp()) : v;
        }
        return values;
    }

    /** Runs a MaxCompute call; a refused AccessKey halts the link, other failures stay retryable. */
    private void guard(String link, String table, Runnable call) {
        try {
            call.run();
        } catch (LinkHaltException e) {
            throw e;
        } catch (RuntimeException e) {
            if (authenticationRefused(e)) {
                throw halt(link, "MaxCompute data source '" + settings.dataSource() + "' (" + settings.target()
                        + ") refused the AccessKey while writing table " + table + ": " + reason(e)
                        + "; fix sluice.maxcompute." + settings.dataSource() + ".access-id / .access-key and start "
                        + "the link again", e);
            }
            throw e;
        }
    }

    private LinkHaltException halt(String link, String message, Throwable cause) {
        String m = "link " + link + ": " + mask(message);
        runLog(link, "halted", m);
        return new LinkHaltException(m, cause);
    }

    static boolean authenticationRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OdpsException oe) {
                Integer status = oe.getStatus();
                String code = oe.getErrorCode();
                if ((status != null && (status == 401 || status == 403)) || isAuthCode(code)) {
                    return true;
                }
            }
            String m = t.getMessage();
            if (m != null && (isAuthCode(m) || m.contains("ODPS-04100"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isAuthCode(String s) {
        return s != null && (s.contains("SignatureNotMatch") || s.contains("InvalidAccessKeyId")
                || s.contains("Unauthorized"));
    }

    /** The innermost message that says what the service answered. */
    private String reason(Throwable e) {
        String reason = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OdpsException && t.getMessage() != null) {
                reason = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return reason;
    }

    private String mask(String s) {
        String key = settings.target().accessKey();
        return s == null ? "" : s.replace(key, "***");
    }

    private void runLog(String link, String event, String message) {
        runLog.accept(link, new String[] {event, mask(message)});
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
