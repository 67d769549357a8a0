package io.sluice.adb;

import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.base.SourceRecord;
import io.sluice.deadletter.DeadLetter;
import io.sluice.deadletter.DeadLetterChannel;
import io.sluice.jdbc.BatchWriter;
import io.sluice.jdbc.ErrorKind;
import io.sluice.jdbc.KeyLanes;
import io.sluice.jdbc.SinkWriteException;
import io.sluice.jdbc.TableNotFoundException;
import io.sluice.jdbc.TableSchema;
import io.sluice.jdbc.TableSchemaReader;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The APS write path for one destination table: parse and flatten each message, map and convert it to the table's
 * columns, apply the dirty-data policy, and write the batch with multi-row statements. Rows are written in
 * source order; consecutive rows with the same column list share statements.
 */
final class AdbWriter {

    private final AdbEndpoint endpoint;
    private final DeadLetterChannel deadLetters;
    private final TransactionPipeline pipeline;
    private volatile Prepared prepared;

    /** Everything read from the destination once per start: schema, mapping, converter, writers per column list. */
    private record Prepared(DataSource ds, TableSchema schema, JsonFlattener flattener, RowConverter converter,
                            DirtyDataPolicy policy, WriteMode writeMode, Map<List<String>, BatchWriter> writers,
                            KeyLanes lanes) {
    }

    AdbWriter(AdbEndpoint endpoint) {
        this.endpoint = endpoint;
        this.deadLetters = endpoint.deadLetterChannel();
        this.pipeline = new TransactionPipeline(endpoint.getTable(), endpoint.getWriterConnections());
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
        Prepared p = prepare();
        DirtyDataPolicy policy = p.policy();
        List<DeadLetter> dirty = new ArrayList<>();
        try (TransactionPipeline.Tx tx = pipeline.begin(p.ds())) {
            Chunk[] chunks = new Chunk[pipeline.lanes()];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = new Chunk(i);
            }
            for (SourceRecord r : batch) {
                Converted c;
                try {
                    c = p.converter().convert(fields(p, r));
                } catch (DirtyDataException e) {
                    dirty.add(new DeadLetter(link, r.position(), null, e.getMessage(), r.value()));
                    if (policy == DirtyDataPolicy.STOP) {
                        stop(link, r, dirty, e.getMessage());
                    }
                    continue;
                }
                if (!c.dirtyFields().isEmpty()) {
                    for (DirtyField f : c.dirtyFields()) {
                        dirty.add(new DeadLetter(link, r.position(), f.field(), describe(f), r.value()));
                    }
                    if (policy == DirtyDataPolicy.STOP) {
                        stop(link, r, dirty, describe(c.dirtyFields().get(0)));
                    }
                    if (!c.writable()) {
                        continue; // policy null, but the row cannot be written (NOT NULL): dead letter only
                    }
                }
                Chunk chunk = chunks[p.lanes().of(c)];
                if (!chunk.takes(c)) {
                    submit(p, tx, chunk);
                }
                chunk.add(c);
                if (chunk.values.size() >= endpoint.getMaxRowsPerStatement()) {
                    submit(p, tx, chunk);
                }
            }
            for (Chunk chunk : chunks) {
                submit(p, tx, chunk);
            }
            deadLetters.write(dirty);
            tx.commit();
        } catch (SinkWriteException e) {
            if (e.kind() == ErrorKind.RETRYABLE || e.kind() == ErrorKind.OTHER) {
                throw e;
            }
            prepared = null; // the table may be changed before the link is started again
            throw new LinkHaltException(Errors.describe(e), e);
        }
        return (int) dirty.stream().map(DeadLetter::position).distinct().count();
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
                new BatchWriter(p.ds(), p.schema(), n, p.writeMode(), endpoint.getMaxRowsPerStatement()));
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

    /** Reads the destination and checks the mapping: run when the link starts, so a bad mapping fails the start. */
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
            schema = TableSchemaReader.read(c, endpoint.database(), endpoint.tableName());
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
            mapping = FieldMapping.of(schema.columns(), endpoint.userMapping(), endpoint.skipColumnSet());
        } catch (IllegalArgumentException e) {
            throw new LinkHaltException("field mapping for " + endpoint.getTable() + " is not valid: " + e.getMessage());
        }
        DirtyDataPolicy policy = endpoint.dirtyDataPolicy();
        RowConverter converter = new RowConverter(mapping, new TypeCoercer(endpoint.unixTimestampUnit(), endpoint.zone()), policy);
        WriteMode mode = endpoint.writeModeValue();
        boolean replayable = mode == WriteMode.UPSERT || mode == WriteMode.INSERT_IGNORE;
        KeyLanes lanes = new KeyLanes(schema.primaryKey(), replayable ? pipeline.lanes() : 1);
        return new Prepared(ds, schema, new JsonFlattener(endpoint.getParsedJsonLayers()), converter, policy,
                mode, new HashMap<>(), lanes);
    }
}
