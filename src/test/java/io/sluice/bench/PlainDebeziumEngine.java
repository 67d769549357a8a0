package io.sluice.bench;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.sluice.binlog.DebeziumSettings;
import io.sluice.binlog.LastEventSummary;
import io.sluice.testkit.TestServers;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reference the MySQL-source benchmarks compare a link with: Debezium's embedded engine with the same connector
 * (MariaDB), the same value-fidelity settings ({@link DebeziumSettings#forFidelity}) and the same batch and queue
 * sizes as the {@code mysql-binlog} source, and a batch handler that only counts the table's change records and marks
 * them processed: no conversion, no sink.
 *
 * <p>{@code -Dbench.engine.lastEvent=position} gives it the link's lighter Debezium metrics ({@link LastEventSummary});
 * by default ({@code debezium}) it is Debezium as released, rendering every change's key into its metrics.
 */
final class PlainDebeziumEngine {

    /**
     * What one run measured: rows/s from starting the engine, and from its first change record; the JVM's CPU use at
     * its start and at its last change (while the engine's threads still run).
     */
    record Result(long records, long nanosFromStart, long nanosFromFirst, CpuUse cpuAtStart, CpuUse cpuAtEnd) {
        double perSecond() {
            return records / (nanosFromStart / 1e9);
        }

        double perSecondFromFirst() {
            return records / (nanosFromFirst / 1e9);
        }
    }

    private PlainDebeziumEngine() {
    }

    /**
     * Reads the binlog of {@code benchcdc.<table>} from {@code start} ({@code snapshot.mode=recovery}: the schema from
     * the table, the rows from the binlog) until {@code expected} row changes arrived.
     */
    static Result streamFrom(String table, BinlogWorkload.Position start, long expected) throws Exception {
        Path dir = Files.createTempDirectory("bench-engine-");
        BinlogWorkload.seedOffsets(dir.resolve("offsets.dat"), "bench-engine", "benche", start);
        return run(properties(table, dir, "recovery"), table, expected);
    }

    /** The full load of {@code benchcdc.<table>} ({@code snapshot.mode=initial_only}) until {@code expected} rows arrived. */
    static Result snapshot(String table, long expected) throws Exception {
        return run(properties(table, Files.createTempDirectory("bench-engine-"), "initial_only"), table, expected);
    }

    /** As {@code BinlogEndpoint.engineProperties}, for a reader of its own (server id 7999). */
    private static Properties properties(String table, Path dir, String snapshotMode) {
        Properties p = new Properties();
        p.setProperty("name", "bench-engine");
        p.setProperty("connector.class", DebeziumSettings.MARIADB_CONNECTOR);
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty("schema.history.internal.file.filename", dir.resolve("schema-history.dat").toString());
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", String.valueOf(TestServers.mariaDb().port()));
        p.setProperty("database.user", "sluice");
        p.setProperty("database.password", "sluice-demo-pw");
        p.setProperty("database.server.id", "7999");
        p.setProperty("database.ssl.mode", "disable");
        p.setProperty("topic.prefix", "benche");
        p.setProperty("database.include.list", BinlogWorkload.DATABASE);
        p.setProperty("table.include.list", BinlogWorkload.DATABASE + "\\." + table);
        p.setProperty("snapshot.mode", snapshotMode);
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("max.batch.size", System.getProperty("bench.engine.batch", "2048"));
        p.setProperty("max.queue.size", System.getProperty("bench.engine.queue", "8192"));
        p.setProperty("heartbeat.interval.ms", "10000");
        return DebeziumSettings.forFidelity(p);
    }

    private static Result run(Properties props, String table, long expected) throws Exception {
        String topic = "benche." + BinlogWorkload.DATABASE + "." + table;
        AtomicLong count = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> handler = (List<RecordChangeEvent<SourceRecord>> records,
                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
            long n = 0;
            for (RecordChangeEvent<SourceRecord> r : records) {
                if (topic.equals(r.record().topic())) {
                    n++;
                }
                committer.markProcessed(r);
            }
            committer.markBatchFinished();
            if (n > 0) {
                first.compareAndSet(0, System.nanoTime());
                count.addAndGet(n);
            }
        };
        AtomicReference<DebeziumEngine<?>> running = new AtomicReference<>();
        DebeziumEngine.ConnectorCallback metrics = "position".equals(System.getProperty("bench.engine.lastEvent"))
                ? LastEventSummary.onTaskStarted("bench-engine", running::get)
                : new DebeziumEngine.ConnectorCallback() { }; // Debezium as released
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-plain-engine"));
        CpuUse cpuAtStart = CpuUse.now();
        long start = System.nanoTime();
        try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props).notifying(handler)
                .using((success, message, error) -> failure.compareAndSet(null, error != null ? error
                        : new IllegalStateException(message + " (after " + count.get() + " of " + expected + " changes)")))
                .using(metrics)
                .build()) {
            running.set(engine);
            executor.execute(engine);
            while (count.get() < expected) {
                if (failure.get() != null && count.get() < expected) {
                    throw new IllegalStateException("the plain engine stopped: " + failure.get(), failure.get());
                }
                Thread.sleep(5);
            }
            long end = System.nanoTime();
            return new Result(count.get(), end - start, end - first.get(), cpuAtStart, CpuUse.now());
        } finally {
            executor.shutdown();
            executor.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
