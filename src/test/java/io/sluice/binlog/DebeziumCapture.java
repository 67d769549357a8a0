package io.sluice.binlog;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.sluice.change.ChangeEvent;
import io.sluice.change.Operation;
import io.sluice.devservices.EmbeddedMariaDb;
import io.sluice.testkit.TestServers;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Debezium's embedded engine with the MariaDB connector against the test kit's MariaDB, offsets and schema history in
 * memory, configured through {@link DebeziumSettings#forFidelity}: the real change events the encoders are tested on.
 */
public final class DebeziumCapture implements AutoCloseable {

    private final LinkedBlockingQueue<SourceRecord> records = new LinkedBlockingQueue<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-capture"));
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    private DebeziumCapture(String database, int serverId) {
        EmbeddedMariaDb db = TestServers.mariaDb();
        Properties base = new Properties();
        base.setProperty("name", "sluice-capture-" + database);
        base.setProperty("connector.class", DebeziumSettings.MARIADB_CONNECTOR);
        base.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        base.setProperty("offset.flush.interval.ms", "60000");
        base.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        base.setProperty("database.hostname", "127.0.0.1");
        base.setProperty("database.port", String.valueOf(db.port()));
        base.setProperty("database.user", EmbeddedMariaDb.ADMIN_USER);
        base.setProperty("database.password", EmbeddedMariaDb.ADMIN_PASSWORD);
        base.setProperty("database.server.id", String.valueOf(serverId));
        base.setProperty("database.ssl.mode", "disable");
        base.setProperty("database.include.list", database);
        base.setProperty("topic.prefix", "sluice");
        base.setProperty("snapshot.mode", "initial");
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(DebeziumSettings.forFidelity(base))
                .notifying(e -> records.add(e.record()))
                .build();
        executor.execute(engine);
    }

    /** Starts capturing {@code database} (snapshot first, then the binlog). */
    public static DebeziumCapture start(String database, int serverId) {
        return new DebeziumCapture(database, serverId);
    }

    /** Waits for the next record matching {@code wanted}, dropping the others (heartbeats, unrelated tables). */
    public SourceRecord next(Predicate<SourceRecord> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            SourceRecord r = left > 0 ? records.poll(left, TimeUnit.NANOSECONDS) : null;
            if (r == null) {
                throw new AssertionError("no matching Debezium record within " + timeout);
            }
            if (wanted.test(r)) {
                return r;
            }
        }
    }

    /**
     * The next {@code rows} row changes of {@code database} with its next {@code ddls} binlog DDL statements, in
     * binlog order; the snapshot's DDL met on the way goes to {@code snapshotDdl}.
     */
    public List<ChangeEvent> events(String database, int rows, int ddls, List<ChangeEvent> snapshotDdl)
            throws InterruptedException {
        List<ChangeEvent> out = new ArrayList<>();
        int r = 0;
        int d = 0;
        while (r < rows || d < ddls) {
            SourceRecord rec = next(x -> DebeziumChangeEvents.toChangeEvent(x).filter(e -> database.equals(e.database()))
                    .isPresent(), Duration.ofSeconds(60));
            ChangeEvent e = DebeziumChangeEvents.toChangeEvent(rec).orElseThrow();
            if (e.operation() != Operation.DDL) {
                out.add(e);
                r++;
            } else if (e.position().snapshot()) {
                snapshotDdl.add(e);
            } else if (d < ddls) {
                out.add(e);
                d++;
            }
        }
        return out;
    }

    /** Every record that arrives until none has come for {@code quiet}. */
    public List<SourceRecord> drain(Duration quiet) throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        SourceRecord r;
        while ((r = records.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        engine.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }
}
