package io.sluice.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.maxcompute.McTables;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MySQL -> MaxCompute throughput on the test kit's local MaxCompute server, against the plain Debezium engine
 * ({@link PlainDebeziumEngine}, no sink) in the same run: (1) the full load of a {@code bench.rows}-row, 10-column
 * table into {@code mc10_base}, against the engine's snapshot of the same table; (2) the link stopped,
 * {@code bench.changes} row changes (70% insert, 20% update, 10% delete) written, the engine timed over that binlog
 * range, then the link started again: its incremental rows/s into {@code mc10_log}. The link's time runs from adding
 * (starting) it to its {@code recordsOut} counter (rows MaxCompute committed) reaching the count. Not part of the
 * test run (the class name does not end in Test); see BENCHMARKS.md for the command. {@code bench.rounds} (3) rounds
 * of both, each on a fresh table, and the median ratios are printed. Before, both paths are warmed up
 * (JIT) by the same phases on a table of {@code bench.warmup} rows and changes (a fifth, at most 100,000). The local
 * MaxCompute server keeps blocks encoded until read ({@code bench.serverDecodes=true}: decoded as written), and the CPU
 * per thread and a split of the link's threads by stage (from a JFR profile) are printed. {@code bench.sinkOptions}: more
 * options of the sink's URI (e.g. {@code &compress=false}).
 */
@QuarkusTest
class BinlogToMaxComputeBenchmark {

    private static final String TABLE = "mc10";
    private static final String LINK = "bench-binlog-mc";
    /** The link's own threads: the source's delivery thread and the sink's writing thread. */
    private static final List<String> LINK_THREADS = List.of("sluice-deliver-", "sluice-maxcompute-");
    /**
     * The stages of the link's threads, innermost first wins: compression and record encoding inside the SDK's block
     * writer, the HTTP round trips of an upload session, Sluice's value conversion (with the SDK's value checks),
     * Sluice's row and schema handling, the source's reading of Debezium's records.
     */
    private static final List<SampleSplit.Stage> STAGES = List.of(
            new SampleSplit.Stage("compression", "java.util.zip.Deflater", "org.xerial.snappy", "net.jpountz", "zstd"),
            new SampleSplit.Stage("record encoding (SDK)", "ProtobufRecordStreamWriter", "ProtobufRecordPack",
                    "Crc32"),
            new SampleSplit.Stage("upload round trips (session create, block write, commit)", "createUploadSession",
                    "UploadSession.commit", "openRecordWriter", "TunnelRecordWriter.close", "getBlockList",
                    "com.aliyun.odps.commons.transport", "com.aliyun.odps.rest"),
            new SampleSplit.Stage("value conversion and checks", "McValues", "ArrayRecord.set",
                    "ChangeTableWriter.convert"),
            new SampleSplit.Stage("row images, partitions, schema checks", "SinkTable.values", "SchemaEvolution",
                    "ChangeTableWriter.add", "ChangeTableWriter.logRow", "RecordIds", "GroupOrdinals"),
            new SampleSplit.Stage("sink state", "SinkState"),
            new SampleSplit.Stage("Debezium record -> change event", "DebeziumChangeEvents", "ObjectNames",
                    "BinlogConsumer.convert", "FullLoadWatch"));

    @Inject
    LinkStatsRegistry stats;

    @Test
    void linkAgainstPlainEngine() throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        int changes = Integer.getInteger("bench.changes", 1_000_000);
        KafkaToAdbBenchmark.stopOtherLinks();
        // the test server's decoding (and its millions of decoded rows on this JVM's heap) is not the link's cost:
        // blocks stay encoded until read (bench.serverDecodes=true: decoded as they are written, as in the tests)
        boolean serverDecodes = Boolean.getBoolean("bench.serverDecodes");
        TestServers.maxCompute().decodeBlocksOnRead(!serverDecodes);
        // warm-up (JIT) of both paths, as the Kafka benchmark does: the same phases on a table of a fifth of the rows
        int warm = Integer.getInteger("bench.warmup", Math.min(rows / 5, 100_000));
        if (warm > 0) {
            run(TABLE + "w", LINK + "-warm", 7803, warm, warm);
            given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).delete("/api/links/" + LINK + "-warm")
                    .then().statusCode(204);
        }
        // rounds of engine and link on fresh tables (a single engine pass moved by a third between runs); the profile
        // runs over all of them (a recording started mid-run makes the JIT recompile what runs then) and the last
        // round's phases are split from it
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path profileFile = Path.of(System.getProperty("bench.jfr", "target/bench-binlog-maxcompute.jfr"));
        jdk.jfr.Recording recording = BenchProfile.start(profileFile);
        List<Run> runs = new java.util.ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            runs.add(run(TABLE + "r" + round, LINK + "-" + round, 7810 + round, rows, changes));
        }
        BenchProfile.stop(recording, profileFile);
        TestServers.maxCompute().decodeBlocksOnRead(false);

        System.out.printf("%nBENCH mysql->maxcompute (local MaxCompute server, blocks decoded %s), 10 columns; warm-up "
                + "of both paths over %,d rows and changes; %d rounds%n", serverDecodes ? "as written" : "when read, "
                + "after the timed phases", warm, rounds);
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            System.out.printf("BENCH round %d: full load of %,d rows: engine %,.0f rows/s, link %,.0f rows/s, ratio %.2f; "
                    + "%,d changes (70%% insert, 20%% update, 10%% delete): engine %,.0f rows/s, link %,.0f rows/s, ratio "
                    + "%.2f%n", i + 1, rows, r.engineSnapshot, r.linkSnapshot, r.linkSnapshot / r.engineSnapshot, changes,
                    r.engineStream, r.linkStream, r.linkStream / r.engineStream);
        }
        System.out.printf("BENCH median ratio link/engine: full load %.2f, changes %.2f%n%n",
                median(runs.stream().mapToDouble(r -> r.linkSnapshot / r.engineSnapshot).toArray()),
                median(runs.stream().mapToDouble(r -> r.linkStream / r.engineStream).toArray()));
        Run last = runs.get(runs.size() - 1);
        last.lines.forEach(System.out::println);
        System.out.println(SampleSplit.of(profileFile, last.fullLoadFrom, last.fullLoadTo, "link full load (last round)",
                LINK_THREADS, STAGES));
        System.out.println(SampleSplit.of(profileFile, last.changesFrom, last.changesTo, "link changes (last round)",
                LINK_THREADS, STAGES));
        System.out.println();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** One pass: rows/s of the engine and the link, full load and changes, the CPU lines, the link's phases. */
    private record Run(double engineSnapshot, double linkSnapshot, double engineStream, double linkStream,
                       List<String> lines, Instant fullLoadFrom, Instant fullLoadTo, Instant changesFrom,
                       Instant changesTo) {
    }

    /**
     * Table {@code table} with {@code rows} rows: the engine's snapshot, then link {@code link} added and timed until
     * MaxCompute committed them all; the link stopped, {@code changes} changes written, the engine timed over them, the
     * link started again and timed until it wrote them all.
     */
    private Run run(String table, String link, int serverId, int rows, int changes) throws Exception {
        BinlogWorkload.createTable(table);
        BinlogWorkload.inserts(table, 0, rows);
        CpuUse cpu = CpuUse.now();
        PlainDebeziumEngine.Result engineSnapshot = PlainDebeziumEngine.snapshot(table, rows);
        String engineSnapshotCpu = CpuUse.now().since(cpu, "engine full load", rows);
        cpu = CpuUse.now();
        Instant fullLoadFrom = Instant.now();
        long start = System.nanoTime();
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).contentType("application/yaml")
                .body(route(table, link, serverId).getBytes()).post("/api/links").then().statusCode(201);
        double linkSnapshot = rows / (awaitRecordsOut(link, rows, start) / 1e9);
        String linkSnapshotCpu = CpuUse.now().since(cpu, "link full load", rows);
        Instant fullLoadTo = Instant.now();
        awaitRecords(table + "_base", rows);
        api(link, "stop");

        BinlogWorkload.Position from = BinlogWorkload.rotate();
        BinlogWorkload.mixed(table, changes, rows);
        cpu = CpuUse.now();
        PlainDebeziumEngine.Result engineStream = PlainDebeziumEngine.streamFrom(table, from, changes);
        String engineStreamCpu = CpuUse.now().since(cpu, "engine changes", changes);
        long out = stats.of(link).recordsOut();
        cpu = CpuUse.now();
        Instant changesFrom = Instant.now();
        start = System.nanoTime();
        api(link, "start");
        double linkStream = changes / (awaitRecordsOut(link, out + changes, start) / 1e9);
        String linkStreamCpu = CpuUse.now().since(cpu, "link changes", changes);
        Instant changesTo = Instant.now();
        awaitRecords(table + "_log", changes + changes / 5); // an update is logged as its before and after image
        api(link, "stop");
        return new Run(engineSnapshot.perSecond(), linkSnapshot, engineStream.perSecond(), linkStream,
                List.of(engineSnapshotCpu, linkSnapshotCpu, engineStreamCpu, linkStreamCpu), fullLoadFrom, fullLoadTo,
                changesFrom, changesTo);
    }

    private static String route(String table, String link, int serverId) {
        return "- route:\n    id: " + link + "\n    from:\n      uri: \"mysql-binlog:" + link + "?dataSource=bench-mariadb"
                + "&serverId=" + serverId + "&databases=" + BinlogWorkload.DATABASE + "&tables=" + BinlogWorkload.DATABASE
                + "\\\\." + table + "\"\n      steps:\n        - to: \"maxcompute:bench?dataSource=demo"
                + System.getProperty("bench.sinkOptions", "") + "\"\n";
    }

    private static void api(String link, String action) {
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).post("/api/links/" + link + "/" + action)
                .then().statusCode(200);
    }

    /** Waits (in-process, no HTTP polling) for the link's recordsOut to reach {@code count}; the ns since {@code start}. */
    private long awaitRecordsOut(String link, long count, long start) throws InterruptedException {
        while (stats.of(link).recordsOut() < count) {
            if (stats.of(link).haltReason() != null) {
                throw new IllegalStateException("the link stopped: " + stats.of(link).haltReason());
            }
            Thread.sleep(5);
        }
        return System.nanoTime() - start;
    }

    /** Waits up to a minute for a table to hold {@code expected} records (the counter also counts the DDL event). */
    private static void awaitRecords(String table, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (McTables.recordCount(table) < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(expected, McTables.recordCount(table), "every row in " + table);
    }
}
