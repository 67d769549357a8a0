package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.type.TypeInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The batched writer of one source table: full-load rows into {@code <table>_base}, change rows into
 * {@code <table>_log}. Rows are buffered; {@link #flush()} writes each buffered unit ({@code _base}, and each
 * {@code _log} partition) through one upload session and returns only after all are committed, so a caller moves
 * its binlog position only after a flush returns. A unit that committed is dropped from the buffer at once, so a
 * flush that fails half-way and is called again writes only what is still uncommitted: nothing is lost and nothing
 * written twice.
 *
 * <p>Change rows follow DTS: INSERT one row N/Y (before_flag/after_flag) with the new values; DELETE one row Y/N
 * with the deleted values; UPDATE two rows with the same record_id, the before image Y/N then the after image N/Y.
 * Not thread-safe: one writer per table, driven by one thread.
 */
public final class ChangeTableWriter {

    private final MaxComputeTarget target;
    private final SchemaSync schemaSync;
    private final BlockUploader uploader;
    private final WriterOptions options;
    private final LongSupplier clock;
    private TableLayout layout;
    private final List<Object[]> base = new ArrayList<>();
    private final Map<PartitionSpec, List<Object[]>> log = new LinkedHashMap<>();
    /**
     * The one PartitionSpec object per partition that keys {@link #log}: PartitionSpec has no equals/hashCode, and a
     * new object per change made every change an upload session of its own (BENCHMARKS.md, MySQL -> MaxCompute).
     */
    private final Map<String, PartitionSpec> specs = new HashMap<>();
    private final Set<String> knownPartitions = new HashSet<>();
    private int buffered;
    private long oldestBufferedAt = -1;

    public ChangeTableWriter(MaxComputeTarget target, TableLayout layout, WriterOptions options) {
        this(target, layout, options, System::currentTimeMillis);
    }

    ChangeTableWriter(MaxComputeTarget target, TableLayout layout, WriterOptions options, LongSupplier clock) {
        this.target = target;
        this.layout = layout;
        this.options = options;
        this.clock = clock;
        this.schemaSync = new SchemaSync(target);
        this.uploader = new BlockUploader(target.tunnel(target.odps()), target.project(), options.blockRows(),
                options.compress(), options.maxAttempts(), options.retryBackoffMs());
    }

    /** {@code listener} is told of each failed upload attempt that is tried again. */
    public void onFailedAttempt(java.util.function.Consumer<String> listener) {
        uploader.onFailedAttempt(listener);
    }

    public TableLayout layout() {
        return layout;
    }

    /** Creates {@code _base} and {@code _log} unless they exist. */
    public void createTables() {
        schemaSync.createTables(layout);
    }

    /** Empties {@code _base}, its buffered rows too (a full load that starts again). */
    public void truncateBase() {
        buffered -= base.size();
        base.clear();
        schemaSync.truncateBase(layout);
    }

    /** A full-load row for {@code _base}, values in source column order. */
    public void addBase(Object[] values) {
        base.add(convert(values, layout.baseColumns(), 0));
        counted();
    }

    /** A change for {@code _log}. */
    public void addChange(ChangeRow change) {
        PartitionSpec spec = partitionOf(change.time());
        List<Object[]> rows = log.computeIfAbsent(spec, k -> new ArrayList<>());
        switch (change.operation()) {
            case INSERT -> rows.add(logRow(change, change.after(), "N", "Y"));
            case DELETE -> rows.add(logRow(change, change.before(), "Y", "N"));
            case UPDATE -> {
                rows.add(logRow(change, change.before(), "Y", "N"));
                rows.add(logRow(change, change.after(), "N", "Y"));
                counted();
            }
        }
        counted();
    }

    /**
     * Applies a source ADD COLUMN to both tables. Buffered rows are flushed first (they were read under the old
     * schema); rows added afterwards carry the new column.
     */
    public void addColumn(SourceColumn column) {
        flush();
        boolean known = layout.sourceColumns().stream().anyMatch(c -> c.name().equalsIgnoreCase(column.name()));
        TableLayout next = schemaSync.addColumn(known ? layout.without(column.name()) : layout, column);
        layout = known ? layout : next; // a replayed ADD COLUMN changes nothing (the SQL says IF NOT EXISTS)
    }

    /** Applies a source RENAME COLUMN to both tables; buffered rows are flushed first (the tunnel is positional anyway). */
    public void renameColumn(String column, String newName) {
        flush();
        layout = schemaSync.renameColumn(layout, column, newName);
    }

    /** Whether the buffer is full or its oldest row has waited {@code maxBufferMillis}. */
    public boolean flushDue() {
        return buffered >= options.maxBufferedRows()
                || (buffered > 0 && clock.getAsLong() - oldestBufferedAt >= options.maxBufferMillis());
    }

    /** {@link #flush()} if {@link #flushDue()}; true if it flushed. */
    public boolean flushIfDue() {
        if (!flushDue()) {
            return false;
        }
        flush();
        return true;
    }

    public int bufferedRows() {
        return buffered;
    }

    /** Writes and commits everything buffered; returns only after the commits. Throws {@link MaxComputeException}. */
    public void flush() {
        if (!base.isEmpty()) {
            uploader.upload(layout.baseTable(), null, layout.baseColumns(), base);
            buffered -= base.size();
            base.clear();
        }
        for (var it = log.entrySet().iterator(); it.hasNext(); ) {
            var unit = it.next();
            ensurePartition(unit.getKey());
            uploader.upload(layout.logTable(), unit.getKey(), layout.logColumns(), unit.getValue());
            buffered -= unit.getValue().size();
            it.remove();
        }
        specs.clear();
        lastSpec = null;
        buffered = 0;
        oldestBufferedAt = -1;
    }

    private void ensurePartition(PartitionSpec spec) {
        if (spec != null && knownPartitions.add(spec.toString())) {
            try {
                schemaSync.createPartition(layout, spec);
            } catch (RuntimeException e) {
                knownPartitions.remove(spec.toString());
                throw e;
            }
        }
    }

    /** The second {@link #lastSpec} was made for: changes come in time order, many within one second. */
    private long lastSecond = Long.MIN_VALUE;
    private PartitionSpec lastSpec;

    private PartitionSpec partitionOf(Instant time) {
        if (layout.levels().isEmpty()) {
            return null;
        }
        // formatting the levels per change was two thirds of adding a change (a profile); a spec is per second at most
        if (time.getEpochSecond() == lastSecond && lastSpec != null) {
            return lastSpec;
        }
        PartitionSpec spec = new PartitionSpec();
        List<Column> columns = layout.partitionColumns();
        for (int i = 0; i < columns.size(); i++) {
            spec.set(columns.get(i).getName(), layout.levels().get(i).valueOf(time));
        }
        lastSecond = time.getEpochSecond();
        lastSpec = specs.computeIfAbsent(spec.toString(), k -> spec);
        return lastSpec;
    }

    private Object[] logRow(ChangeRow change, Object[] image, String beforeFlag, String afterFlag) {
        Object[] row = convert(image, layout.logColumns(), TableLayout.ADDITIONAL.size());
        row[0] = change.recordId();
        row[1] = change.operation().flag();
        row[2] = change.time().getEpochSecond();
        row[3] = beforeFlag;
        row[4] = afterFlag;
        return row;
    }

    /** The source values converted into a row of {@code columns}, starting at column {@code offset}. */
    private Object[] convert(Object[] values, List<Column> columns, int offset) {
        int sourceCount = columns.size() - offset;
        if (values.length > sourceCount) {
            throw new IllegalArgumentException(layout.table() + ": a row has " + values.length + " values but the table "
                    + "has " + sourceCount + " columns");
        }
        Object[] row = new Object[columns.size()];
        ArrayRecord check = checkRecord(columns);
        for (int i = 0; i < values.length; i++) {
            Column column = columns.get(offset + i);
            TypeInfo type = column.getTypeInfo();
            try {
                // the SDK's own checks and conversion (VARCHAR/CHAR length, ranges) now, not half-way through an
                // upload; the row keeps the value as the SDK set it, and BlockUploader writes it without setting again
                check.set(offset + i, McValues.convert(values[i], type, options.datetimeZone()));
                row[offset + i] = check.get(offset + i);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(layout.table() + ", column " + column.getName() + ": "
                        + e.getMessage(), e);
            }
        }
        return row;
    }

    /** The columns {@link #check} was made for (the layout's lists: a schema change makes new ones). */
    private List<Column> checkColumns;
    private ArrayRecord check;

    /**
     * A record of {@code columns} whose setters run the SDK's value checks, reused from row to row: a new ArrayRecord
     * per row built a column-name map each time.
     */
    private ArrayRecord checkRecord(List<Column> columns) {
        if (columns != checkColumns) {
            check = new ArrayRecord(columns.toArray(new Column[0]));
            checkColumns = columns;
        }
        return check;
    }

    private void counted() {
        if (buffered++ == 0) {
            oldestBufferedAt = clock.getAsLong();
        }
    }

    @Override
    public String toString() {
        return "MaxCompute writer for " + layout.table() + " into " + target;
    }
}
