package io.sluice.maxcompute;

import io.sluice.change.ChangeEvent;
import io.sluice.change.SourcePosition;

import io.sluice.state.StateDocument;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The MaxCompute sink of one link: writes its batches of {@link ChangeEvent}s into {@code <table>_base} /
 * {@code <table>_log}, one {@link SinkTable} (a {@link ChangeTableWriter} with its buffers) per source table, created
 * with its tables when the table is first seen ({@link SchemaEvolution}). Snapshot rows go to {@code _base}; INSERT,
 * UPDATE and DELETE to {@code _log} with {@code record_id} from the binlog position; DDL events carry their schema
 * change, which {@link SchemaEvolution} applies. {@link #write} flushes every writer it touched before it returns, so
 * the caller commits its binlog position only after MaxCompute committed the rows.
 *
 * <p>Failures: a refused AccessKey, a clash of additional columns with source columns, or a value that does not fit
 * its column throw {@link io.sluice.base.LinkHaltException} with the fix; anything else (server unreachable, 5xx) is
 * thrown as it is, for the source to retry the batch ({@link SinkErrors}). After any failure the writers are dropped
 * with their buffers, so the retried batch starts clean (rows committed before the failure are written again with
 * the same record_ids). Driven by one thread at a time.
 */
public final class MaxComputeChangeSink {

    private final SinkSettings settings;
    private final SinkErrors errors;
    /** Where the link's state lives ({@link SinkState}); null: in memory only. */
    private final StateDocument stateDocument;
    /** The link's state directory (whether it ran before the sink kept state); may be null. */
    private final Path stateDir;
    /** Loaded with the first batch. */
    private SinkState state;
    private GroupOrdinals ordinals;
    private SchemaEvolution schema;
    /** Source tables whose full load this sink started (kept across failures: a retried batch must not empty them). */
    private final Set<String> loading = new HashSet<>();

    /** A sink of link {@code link} whose state is kept in memory only. */
    public MaxComputeChangeSink(String link, SinkSettings settings, BiConsumer<String, String> runLog) {
        this(link, settings, runLog, null);
    }

    /**
     * {@code runLog}: (event, message) into the link's run log; {@code stateDir}: the link's state directory (null for
     * none).
     */
    public MaxComputeChangeSink(String link, SinkSettings settings, BiConsumer<String, String> runLog, Path stateDir) {
        this(link, settings, runLog, stateDir == null ? null : StateDocument.file(stateDir.resolve(SinkState.NAME)), stateDir);
    }

    /**
     * {@code stateDocument}: where the link's state is kept (null: in memory only); {@code stateDir}: the link's state
     * directory, whose binlog offsets file tells a link that ran before the sink kept state (may be null).
     */
    public MaxComputeChangeSink(String link, SinkSettings settings, BiConsumer<String, String> runLog,
            StateDocument stateDocument, Path stateDir) {
        this.settings = settings;
        this.errors = new SinkErrors(link, settings.dataSource(), settings.target(), runLog);
        this.stateDocument = stateDocument;
        this.stateDir = stateDir;
    }

    /** Writes one batch and commits it in MaxCompute before returning. */
    public void write(List<ChangeEvent> batch) {
        writeAll(List.of(batch));
    }

    /**
     * Writes batches (in the order the source sent them) through one flush, fewer upload sessions than one each, and
     * commits them in MaxCompute before returning; each batch's end is marked for the record_ids of a restart there.
     * All or nothing for the caller: a failure fails every one of them (rows committed before it are written again
     * with the same record_ids).
     */
    public void writeAll(List<List<ChangeEvent>> batches) {
        if (state == null) {
            state = SinkState.load(stateDocument, stateDir);
            ordinals = new GroupOrdinals(state.marks());
            schema = new SchemaEvolution(settings, state, ordinals, errors);
        }
        GroupOrdinals.Mark start = ordinals.position();
        try {
            Set<SinkTable> touched = new LinkedHashSet<>();
            List<GroupOrdinals.Mark> ends = new ArrayList<>(batches.size());
            for (List<ChangeEvent> batch : batches) {
                for (ChangeEvent e : batch) {
                    if (e.isDdl()) {
                        schema.apply(e);
                        continue;
                    }
                    SinkTable t = schema.forRow(e);
                    touched.add(t);
                    add(t, e);
                    if (t.writer.bufferedRows() >= settings.options().maxBufferedRows()) {
                        flush(t);
                    }
                }
                ends.add(ordinals.position());
            }
            for (SinkTable t : touched) {
                flush(t);
            }
            boolean marked = false;
            for (GroupOrdinals.Mark end : ends) {
                marked |= ordinals.markBatchEnd(end);
            }
            if (marked | state.dirty()) {
                state.store(ordinals.marks()); // before the source may store its position after these batches
            }
        } catch (RuntimeException e) {
            schema.dropWriters(); // the retried batch starts from empty buffers and the same group counts
            ordinals.reset(start);
            throw e;
        }
    }

    /** Why a table without a key has no merge: the merge keeps the latest row per key. */
    static final String NO_MERGE_WITHOUT_KEY = "rows of the _log table cannot be matched to _base rows without a key";

    /**
     * The merge SQL of seed 003 for a table seen by this sink: its full content at {@code t} (epoch seconds). Refused
     * for a table without a key (the source's tablesWithoutKey=sync).
     */
    public String mergeSql(String table, String resultTable, long t) {
        if (schema == null) {
            throw new IllegalArgumentException("table " + table + " has not been written by this link since it "
                    + "started; known: []");
        }
        SinkTable s = schema.seen(table);
        if (s.primaryKey.isEmpty()) {
            throw new IllegalArgumentException("table " + s.sourceName + " has no primary key: " + NO_MERGE_WITHOUT_KEY
                    + " (the merge keeps the latest row per key). Add a primary or unique key to the source table and "
                    + "load it again (remove and add the link): then every row of " + s.table() + "_base and "
                    + s.table() + "_log carries the key");
        }
        return MergeSql.mergeSql(s.writer.layout(), s.primaryKey, resultTable == null ? s.table() + "_merged"
                : resultTable, t);
    }

    private void add(SinkTable t, ChangeEvent e) {
        SourcePosition p = e.position();
        try {
            if (p.snapshot()) {
                if (!loading.contains(t.sourceName)) {
                    if (p.loadContinued()) {
                        loading.add(t.sourceName); // what the load wrote to _base before the restart stays
                    } else {
                        startLoad(t);
                    }
                }
                t.writer.addBase(t.values(e.after() != null ? e.after() : e.before()));
                return;
            }
            long recordId = RecordIds.of(p.binlogFile(), p.position(), ordinals.ordinal(p));
            Instant time = Instant.ofEpochMilli(p.eventTimeMs());
            switch (e.operation()) {
                case INSERT -> t.writer.addChange(ChangeRow.insert(recordId, time, t.values(e.after())));
                case UPDATE -> t.writer.addChange(ChangeRow.update(recordId, time, t.values(e.before()),
                        t.values(e.after())));
                case DELETE -> t.writer.addChange(ChangeRow.delete(recordId, time, t.values(e.before())));
                default -> throw new IllegalStateException("not a row change: " + e.operation());
            }
        } catch (IllegalArgumentException dirty) {
            String m = dirty.getMessage() == null ? "" : dirty.getMessage();
            throw errors.halt((m.startsWith(t.table()) ? "" : "table " + t.table() + ": ") + m + " (binlog "
                    + p.binlogFile() + ":" + p.position() + "); fix the source row or the column type, then start the "
                    + "link again", dirty);
        }
    }

    /**
     * The first full-load row of a table in this run: the full load starts (again, when an earlier run was stopped in
     * the middle of it: Debezium repeats an unfinished snapshot from its start). A {@code _base} the link created
     * itself is emptied first, so the repeated load leaves no duplicates or stale rows of the interrupted one; a table
     * of someone else (conflictingTables=ignore) is never emptied.
     */
    private void startLoad(SinkTable t) {
        String base = t.writer.layout().baseTable();
        if (state.created(base)) {
            errors.guard(base, t.writer::truncateBase);
            errors.log("maxcompute-full-load", "full load of " + t.sourceName + " starts: " + base + " emptied");
        }
        loading.add(t.sourceName);
    }

    private void flush(SinkTable t) {
        errors.guard(t.table(), t.writer::flush);
    }
}
