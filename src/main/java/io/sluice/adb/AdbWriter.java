package io.sluice.adb;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.base.SourceRecord;
import io.sluice.deadletter.DeadLetter;
import io.sluice.deadletter.DeadLetterChannel;
import io.sluice.deadletter.StoredDeadLetters;
import io.sluice.jdbc.BatchWriter;
import io.sluice.jdbc.ErrorKind;
import io.sluice.jdbc.KeyLanes;
import io.sluice.jdbc.SinkWriteException;
import io.sluice.jdbc.TableNotFoundException;
import io.sluice.jdbc.TableSchema;
import io.sluice.jdbc.TransactionPipeline;
import io.sluice.jdbc.WriteMode;
import io.sluice.record.Column;
import io.sluice.record.Converted;
import io.sluice.record.DirtyDataException;
import io.sluice.record.DirtyDataPolicy;
import io.sluice.record.DirtyField;
import io.sluice.record.FieldMapping;
import io.sluice.record.JsonFlattener;
import io.sluice.record.RowConverter;
import io.sluice.record.TypeCoercer;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The APS write path for one destination table: parse and flatten each message, map and convert it to the table's
 * columns, apply the dirty-data policy, and write the batch with multi-row statements. Rows are written in
 * source order; consecutive rows with the same column list share statements.
 */
final class AdbWriter {

    private final AdbEndpoint endpoint;
    private final DeadLetterChannel deadLetters;
    private final TransactionPipeline pipeline;
    /** Held by a live batch and by a replay chunk while they write: one transaction at a time on the pipeline. */
    private final ReentrantLock writes;
    private volatile Prepared prepared;

    /** Everything read from the destination once per start: schema, mapping, converter, writers per column list. */
    private record Prepared(DataSource ds, TableSchema schema, JsonFlattener flattener, RowConverter converter,
                            DirtyDataPolicy policy, WriteMode writeMode, Map<List<String>, BatchWriter> writers,
                            KeyLanes lanes) {
    }

    AdbWriter(AdbEndpoint endpoint) {
        this.endpoint = endpoint;
        this.deadLetters = endpoint.deadLetterChannel();
        this.writes = endpoint.writeLock();
        this.pipeline = new TransactionPipeline(endpoint.getTable(), endpoint.getOptions().getWriterConnections());
        this.runningWriteMillis = pipeline::longestRunningMillis;
    }

    /** How long the longest statement or commit of the batch in flight has been running, in ms (0 when none). */
    final java.util.function.LongSupplier runningWriteMillis;

    /** Ends the writer thread and the dead-letter channel's clients. */
    void close() {
        pipeline.close();
        deadLetters.close();
    }

    DeadLetterChannel deadLetters() {
        return deadLetters;
    }

    /**
     * Writes a batch in one transaction; returns the number of dirty records. Records are converted on the calling
     * thread while the writer thread executes the statements of the rows converted before them.
     */
    int write(String link, List<SourceRecord> batch) {
        writes.lock();
        try {
            return writeBatch(link, batch);
        } finally {
            writes.unlock();
        }
    }

    private int writeBatch(String link, List<SourceRecord> batch) {
        Prepared p = prepare();
        DirtyDataPolicy policy = p.policy();
        List<DeadLetter> dirty = new ArrayList<>();
        try (Rows rows = new Rows(p)) {
            for (SourceRecord r : batch) {
                int before = dirty.size();
                Converted c = convert(p, link, r, dirty);
                if (dirty.size() > before) {
                    if (policy == DirtyDataPolicy.STOP) {
                        stop(link, r, dirty, dirty.get(before).reason());
                    }
                    if (c == null || !c.writable()) {
                        continue; // policy null, but the row cannot be written (NOT NULL): dead letter only
                    }
                }
                rows.add(c);
            }
            rows.flush();
            deadLetters.write(dirty);
            rows.commit();
        } catch (SinkWriteException e) {
            if (e.kind() == ErrorKind.RETRYABLE || e.kind() == ErrorKind.OTHER) {
                throw e;
            }
            prepared = null; // the table may be changed before the link is started again
            throw new LinkHaltException(Errors.describe(e), e);
        }
        return (int) dirty.stream().map(DeadLetter::position).distinct().count();
    }

    /**
     * The record converted to a row (which may carry dirty fields), or null when the whole record is bad (not a JSON
     * object); each dirty field, or the bad record, is added to {@code dirty} as a dead letter.
     */
    private static Converted convert(Prepared p, String link, SourceRecord r, List<DeadLetter> dirty) {
        Converted c;
        try {
            c = p.converter().convert(fields(p, r));
        } catch (DirtyDataException e) {
            dirty.add(new DeadLetter(link, r.position(), null, e.getMessage(), r.value()));
            return null;
        }
        for (DirtyField f : c.dirtyFields()) {
            dirty.add(new DeadLetter(link, r.position(), f.field(), describe(f), r.value()));
        }
        return c;
    }

    /** How many stored entries a replay reads, converts and writes at a time (one transaction each). */
    static final int REPLAY_CHUNK = 500;

    /**
     * Replays the link's stored dirty records: converts each again with the link's current options and the
     * destination table as it is now (read again first, so a widened column counts), writes those that now convert
     * through this writer, exactly as live records are written, and removes their entries once their transaction has
     * committed; those still dirty keep their entries, renewed when the reason changed.
     *
     * <p>What makes this safe while the link runs: each chunk is converted and written holding {@link #writes}, the
     * lock every live batch holds from its first statement to its commit, so a chunk and a live batch never share the
     * writer connections (whose lanes would otherwise run one transaction's statements behind another's uncommitted
     * locks) and the live batch only waits; replay never touches the source's position, which the source commits
     * only for its own batches, so no live record is skipped or read twice. Entries recorded after the replay began
     * are left to the next one ({@link StoredDeadLetters#newestId}). An entry is removed only after its row
     * committed: a failure in between leaves it to be replayed again, harmless under the default writeMode=upsert
     * (the same row again); with writeMode=insert a row already there fails the chunk, which is then kept whole.
     * A replayed record is written now, after live records that came later: under upsert it replaces a newer row of
     * the same key.
     */
    DirtyDataChannel.Replay replay(String link) {
        if (!(deadLetters instanceof StoredDeadLetters channel)) {
            throw new DirtyDataChannel.NotReplayable("link '" + link + "' keeps its dirty records in the "
                    + deadLetters.describe() + ", whose entries cannot be removed, so they cannot be replayed: read them "
                    + "with GET /api/links/" + link + "/dirty and send the fixed records to the link's source again, or "
                    + "leave deadLetterTopic unset so dirty records go to a dead-letter table, which can be replayed");
        }
        writes.lock();
        try {
            prepared = load(); // the destination as it is now: its columns may have been widened since the start
        } finally {
            writes.unlock();
        }
        long upTo = channel.newestId(link);
        ReplayTally tally = new ReplayTally();
        long after = 0;
        while (true) {
            List<StoredDeadLetters.Entry> entries = channel.entries(link, after, upTo, REPLAY_CHUNK);
            if (entries.isEmpty()) {
                break;
            }
            List<List<StoredDeadLetters.Entry>> records = byRecord(entries);
            if (entries.size() == REPLAY_CHUNK && records.size() > 1) {
                records.remove(records.size() - 1); // its entries may go on in the next chunk: read it whole then
            }
            List<StoredDeadLetters.Entry> last = records.get(records.size() - 1);
            after = last.get(last.size() - 1).id();
            try {
                replayChunk(link, channel, records, tally);
            } catch (SinkWriteException e) {
                throw new IllegalStateException("replaying the dirty records of link '" + link + "' into "
                        + endpoint.getTable() + " stopped (" + tally.replayed + " written before): " + Errors.describe(e)
                        + "; the entries not written are kept", e);
            }
        }
        return new DirtyDataChannel.Replay(tally.replayed, tally.stillDirty, tally.records);
    }

    private static final class ReplayTally {
        int replayed;
        int stillDirty;
        final List<Map<String, Object>> records = new ArrayList<>();
    }

    /** Consecutive entries of one record (one per dirty field): the same position and raw message. */
    private static List<List<StoredDeadLetters.Entry>> byRecord(List<StoredDeadLetters.Entry> entries) {
        List<List<StoredDeadLetters.Entry>> out = new ArrayList<>();
        for (StoredDeadLetters.Entry e : entries) {
            List<StoredDeadLetters.Entry> current = out.isEmpty() ? null : out.get(out.size() - 1);
            DeadLetter first = current == null ? null : current.get(0).letter();
            if (first != null && first.position().equals(e.letter().position())
                    && Arrays.equals(first.raw(), e.letter().raw())) {
                current.add(e);
            } else {
                out.add(new ArrayList<>(List.of(e)));
            }
        }
        return out;
    }

    private void replayChunk(String link, StoredDeadLetters channel, List<List<StoredDeadLetters.Entry>> records,
                             ReplayTally tally) {
        List<Long> written = new ArrayList<>();
        List<Long> renewedIds = new ArrayList<>();
        List<DeadLetter> renewed = new ArrayList<>();
        writes.lock();
        try {
            Prepared p = prepare();
            try (Rows rows = new Rows(p)) {
                for (List<StoredDeadLetters.Entry> record : records) {
                    DeadLetter stored = record.get(0).letter();
                    List<DeadLetter> dirty = new ArrayList<>();
                    Converted c = convert(p, link, new SourceRecord(stored.raw(), stored.position(), 0), dirty);
                    List<Long> ids = record.stream().map(StoredDeadLetters.Entry::id).toList();
                    if (dirty.isEmpty()) {
                        rows.add(c);
                        written.addAll(ids);
                        tally.replayed++;
                        continue;
                    }
                    tally.stillDirty++;
                    if (reasons(dirty).equals(reasons(record.stream().map(StoredDeadLetters.Entry::letter).toList()))) {
                        record.forEach(e -> tally.records.add(StoredDeadLetters.view(e.letter(), e.time())));
                    } else {
                        renewedIds.addAll(ids);
                        renewed.addAll(dirty);
                        Instant now = Instant.now();
                        dirty.forEach(d -> tally.records.add(StoredDeadLetters.view(d, now)));
                    }
                }
                rows.flush();
                rows.commit();
            }
        } finally {
            writes.unlock();
        }
        channel.remove(written); // only now that their rows are committed
        channel.replace(renewedIds, renewed);
    }

    private static List<String> reasons(List<DeadLetter> letters) {
        return letters.stream().map(d -> d.field() + ": " + d.reason()).sorted().toList();
    }

    /**
     * One transaction's rows: each row goes to its key's lane, and consecutive rows of a lane with the same column
     * list share multi-row statements.
     */
    private final class Rows implements AutoCloseable {
        private final Prepared p;
        private final TransactionPipeline.Tx tx;
        private final Chunk[] chunks;

        Rows(Prepared p) {
            this.p = p;
            this.tx = pipeline.begin(p.ds());
            this.chunks = new Chunk[pipeline.lanes()];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = new Chunk(i);
            }
        }

        void add(Converted c) {
            Chunk chunk = chunks[p.lanes().of(c)];
            if (!chunk.takes(c)) {
                submit(p, tx, chunk);
            }
            chunk.add(c);
            if (chunk.values.size() >= endpoint.getOptions().getMaxRowsPerStatement()) {
                submit(p, tx, chunk);
            }
        }

        /** Submits the rows still held back. */
        void flush() {
            for (Chunk chunk : chunks) {
                submit(p, tx, chunk);
            }
        }

        void commit() {
            tx.commit();
        }

        @Override
        public void close() {
            tx.close();
        }
    }

    /** The record's fields: as the source built them (SLS) when no nested JSON is to be expanded, else parsed. */
    private static Map<String, ?> fields(Prepared p, SourceRecord r) {
        return r.fields() != null && p.flattener().layers() == 1 ? r.fields() : p.flattener().flatten(r.value());
    }

    /** Consecutive rows of one lane with the same column list: they share multi-row statements. */
    private static final class Chunk {
        final int lane;
        List<Column> columns;
        List<Object[]> values = new ArrayList<>();

        Chunk(int lane) {
            this.lane = lane;
        }

        boolean takes(Converted c) {
            return columns == null || columns == c.columns() || columns.equals(c.columns());
        }

        void add(Converted c) {
            columns = c.columns();
            values.add(c.values());
        }
    }

    private void submit(Prepared p, TransactionPipeline.Tx tx, Chunk chunk) {
        if (chunk.values.isEmpty()) {
            return;
        }
        List<String> names = chunk.columns.stream().map(Column::name).toList();
        BatchWriter w = p.writers().computeIfAbsent(names, n ->
                new BatchWriter(p.ds(), p.schema(), n, p.writeMode(), endpoint.getOptions().getMaxRowsPerStatement()));
        tx.submit(chunk.lane, w, chunk.values);
        chunk.columns = null;
        chunk.values = new ArrayList<>();
    }

    /**
     * Policy stop: record the dirty record (one entry per bad field; under stop every entry so far belongs to it),
     * write nothing of the batch (its open transaction is rolled back), halt the link with the reason.
     */
    private void stop(String link, SourceRecord r, List<DeadLetter> dirty, String reason) {
        deadLetters.write(dirty);
        throw new LinkHaltException("dirty data at " + r.position() + ": " + reason + ". Nothing from this batch on "
                + "was written and the position was not committed. Fix the destination column type or the data, or set "
                + "dirtyDataMode=null, then start the link (GET /api/links/" + link + "/dirty lists the dirty records)");
    }

    private static String describe(DirtyField f) {
        return "field '" + f.field() + "' value " + f.value() + " into column " + f.column() + " " + f.columnType()
                + ": " + f.reason();
    }

    /** The row a record would become, or why it is dirty; writes nothing. */
    Map<String, Object> preview(SourceRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("position", r.position());
        out.put("raw", r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
        try {
            Prepared p = prepare();
            Converted c = p.converter().convert(p.flattener().flatten(r.value()));
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < c.columns().size(); i++) {
                Object v = c.values()[i];
                row.put(c.columns().get(i).name(), v instanceof byte[] || v == null ? v : v.toString());
            }
            out.put("row", row);
            out.put("dirty", c.dirtyFields().stream().map(AdbWriter::describe).toList());
            out.put("writable", c.writable());
        } catch (DirtyDataException | LinkHaltException e) {
            out.put("row", null);
            out.put("dirty", List.of(e.getMessage()));
            out.put("writable", false);
        }
        return out;
    }

    /**
     * Reads the destination and checks the mapping, forgetting what was read before: run when the link starts, so a
     * bad mapping fails the start and a table changed while the link was stopped is seen.
     */
    void prepareAgain() {
        prepared = null;
        prepare();
    }

    /** The destination's schema, mapping and converter, read on first use. */
    Prepared prepare() {
        Prepared p = prepared;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (prepared == null) {
                prepared = load();
            }
            return prepared;
        }
    }

    private Prepared load() {
        DataSource ds;
        try {
            ds = endpoint.lookupDataSource();
        } catch (IllegalArgumentException e) {
            throw new LinkHaltException(e.getMessage());
        }
        TableSchema schema;
        try (Connection c = ds.getConnection()) {
            schema = endpoint.readSchema(c);
        } catch (TableNotFoundException e) {
            throw new LinkHaltException(e.getMessage() + " (destination " + endpoint.getTable() + ")");
        } catch (SQLException e) {
            SinkWriteException classified = SinkWriteException.of(endpoint.getTable(), e);
            if (classified.kind() == ErrorKind.ACCESS) {
                throw new LinkHaltException(Errors.describe(classified), e);
            }
            throw classified;
        }
        FieldMapping mapping;
        try {
            mapping = endpoint.fieldMapping(schema);
        } catch (IllegalArgumentException e) {
            throw new LinkHaltException("field mapping for " + endpoint.getTable() + " is not valid: " + e.getMessage());
        }
        DirtyDataPolicy policy = endpoint.dirtyDataPolicy();
        RowConverter converter = new RowConverter(mapping, new TypeCoercer(endpoint.unixTimestampUnit(), endpoint.zone()), policy);
        WriteMode mode = endpoint.writeModeValue();
        boolean replayable = mode == WriteMode.UPSERT || mode == WriteMode.INSERT_IGNORE;
        KeyLanes lanes = new KeyLanes(schema.primaryKey(), replayable ? pipeline.lanes() : 1);
        return new Prepared(ds, schema, new JsonFlattener(endpoint.getOptions().getParsedJsonLayers()), converter, policy,
                mode, new HashMap<>(), lanes);
    }
}
