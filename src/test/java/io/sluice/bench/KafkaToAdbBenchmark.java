package io.sluice.bench;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kafka (JSON) -> AnalyticDB throughput, against the ceiling measured in the same run: a plain JDBC multi-row
 * INSERT of the same rows into the same table (1000 rows per statement, 2000 per transaction, one connection), the
 * values already typed in memory. The machine is shared and noisy and the ceiling itself moves by a third within a
 * run, so the two alternate: {@code bench.rounds} rounds (3) of the ceiling, then the link over the same messages
 * (the table emptied before each; each round's link is a new link, so a new consumer group, reading the topic from
 * its beginning), each round's ratio taken against its own ceiling, and the median ratio printed. A warm-up of both
 * paths over {@code bench.warmup} messages (a fifth, at most 100,000) runs first. Per run, the CPU use by thread
 * group ({@link CpuUse}) and, for the link, where its poll and writer threads spend their wall time
 * ({@link StageSampler}): what the link does beyond the ceiling's work. Not part of the test run (the class name
 * does not end in Test); see BENCHMARKS.md for the command.
 */
@QuarkusTest
class KafkaToAdbBenchmark {

    private static final String COLUMNS = "id, user_id, kind, amount, ratio, flag, day, ts, note, score";
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final int ROWS_PER_COMMIT = 2_000;
    private static final String TOPIC = "bench10";
    private static final String WARMUP_TOPIC = "bench10.warmup";

    /**
     * The link's stages, in order of precedence: the poll thread (poll, parse, convert, hand rows to the writers,
     * wait for the batch's commit, commit offsets) and the writer threads (bind, send, wait for the server, commit,
     * idle between batches).
     */
    private static final List<StageSampler.Rule> STAGES = List.of(
            new StageSampler.Rule("io.sluice.jdbc.TransactionPipeline$Tx.commit", "wait for the database commit"),
            new StageSampler.Rule("io.sluice.jdbc.TransactionPipeline$Tx.close", "give back the connections"),
            new StageSampler.Rule("org.apache.kafka.clients.consumer.KafkaConsumer.commit", "offset commit"),
            new StageSampler.Rule("io.sluice.codec.NativeLz4", "poll: lz4"),
            new StageSampler.Rule("org.apache.kafka.common.compress", "poll: lz4"),
            new StageSampler.Rule("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.poll", "poll: group coordination"),
            new StageSampler.Rule("org.apache.kafka.common.network.Selector.select", "poll: waiting for the broker"),
            new StageSampler.Rule("org.apache.kafka.clients.consumer.KafkaConsumer.poll", "poll: fetch handling, records"),
            new StageSampler.Rule("io.sluice.record.JsonFlattener", "parse JSON"),
            new StageSampler.Rule("io.sluice.record", "convert"),
            new StageSampler.Rule("io.sluice.jdbc.TransactionPipeline$Tx.submit", "hand rows to the writers"),
            new StageSampler.Rule("io.sluice.jdbc.KeyLanes", "hash keys to lanes"),
            new StageSampler.Rule("io.sluice.adb.AdbWriter", "group rows into statements"),
            new StageSampler.Rule("io.sluice.kafka.KafkaJsonConsumer.pollLoop", "poll loop"),
            new StageSampler.Rule("org.mariadb.jdbc.Connection.commit", "commit"),
            new StageSampler.Rule("io.sluice.jdbc.BatchWriter.bindRows", "bind values"),
            new StageSampler.Rule("sun.nio.ch.NioSocketImpl.read", "wait for the server's answer"),
            new StageSampler.Rule("sun.nio.ch.NioSocketImpl.write", "send the statement"),
            new StageSampler.Rule("org.mariadb", "driver"),
            new StageSampler.Rule("java.util.concurrent.ThreadPoolExecutor.getTask", "idle"));

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LinkStatsRegistry stats;

    @Test
    void linkAgainstPlainJdbcInsert() throws Exception {
        int n = Integer.getInteger("bench.messages", 1_000_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int warm = Integer.getInteger("bench.warmup", Math.min(n / 5, 100_000));
        stopOtherLinks();
        TestServers.mariaDb().execute("DROP TABLE IF EXISTS demo.bench10_ref; DROP TABLE IF EXISTS demo.bench10; CREATE TABLE demo.bench10 ("
                + "id BIGINT NOT NULL PRIMARY KEY, user_id INT NOT NULL, kind VARCHAR(32), amount DECIMAL(12,2), "
                + "ratio DOUBLE, flag TINYINT(1), day DATE, ts DATETIME(3), note VARCHAR(128), score BIGINT)");
        produce(TOPIC, n);
        produce(WARMUP_TOPIC, warm);
        Object[][] rows = ceilingRows(n);

        // warm-up (JIT) of both paths
        plainInsert(rows, warm);
        emptyTable();
        linkRun("bench10-warmup", WARMUP_TOPIC, warm, () -> { }, () -> { });
        emptyTable();

        List<double[]> runs = new ArrayList<>(); // per round: ceiling rows/s, link from adding, link from first row
        List<String> split = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            CpuUse ceilingStart = CpuUse.now();
            long ceilingNanos = plainInsert(rows, n);
            split.add(CpuUse.now().since(ceilingStart, "ceiling run " + r, n));
            assertEquals(n, rows());
            emptyTable();

            int round = r;
            jdk.jfr.Recording profile = r == rounds ? BenchProfile.start() : null;
            CpuUse linkStart = CpuUse.now();
            StageSampler[] stages = new StageSampler[1];
            // the stages from the first row written: the group join before it is waiting, not the link's work
            long[] times = linkRun("bench10-r" + r, TOPIC, n, () -> stages[0] = StageSampler.start(
                    List.of("sluice-kafka-json-", "sluice-writer-"), STAGES, 20), () -> {
                split.add(CpuUse.now().since(linkStart, "link run " + round, n)); // before its threads end
                if (stages[0] != null) {
                    stages[0].close();
                    split.addAll(stages[0].lines("link run " + round + ", from the first row written"));
                }
            });
            BenchProfile.stop(profile);
            assertEquals(n, rows());
            assertEquals(n, TestServers.queryLong("SELECT COUNT(*) FROM demo.bench10 WHERE kind = CONCAT('kind-', id % 17) "
                    + "AND score = id * 31 AND amount = id / 100"));
            emptyTable();

            double ceiling = n / (ceilingNanos / 1e9);
            double fromAdding = n / ((times[2] - times[0]) / 1e9);
            double fromFirst = times[1] == 0 ? fromAdding : n / ((times[2] - times[1]) / 1e9);
            runs.add(new double[]{ceiling, fromAdding, fromFirst});
        }

        System.out.printf("%nBENCH kafka->adb %,d messages x 10 columns, %d rounds of ceiling then link%n", n, rounds);
        for (int r = 0; r < runs.size(); r++) {
            double[] run = runs.get(r);
            System.out.printf("BENCH round %d: ceiling (plain JDBC multi-row INSERT, %d rows/statement) %,.0f rows/s; "
                            + "link %,.0f rows/s from adding it, %,.0f from the first row written; ratio %.2f / %.2f%n",
                    r + 1, ROWS_PER_STATEMENT, run[0], run[1], run[2], run[1] / run[0], run[2] / run[0]);
        }
        System.out.printf("BENCH kafka->adb median ratio link/ceiling: %.2f from the first row written, %.2f from adding "
                        + "the link (incl. the consumer group join)%n",
                median(runs.stream().mapToDouble(run -> run[2] / run[0]).toArray()),
                median(runs.stream().mapToDouble(run -> run[1] / run[0]).toArray()));
        split.forEach(System.out::println);
        System.out.println();
    }

    /**
     * Adds link {@code id} reading {@code topic} from its beginning (a new consumer group) into demo.bench10, waits
     * until its recordsOut counter (rows the database committed) reaches {@code n}, runs {@code atEnd} and deletes
     * the link ({@code atFirstRow} runs when the first rows are written): nanoTimes of adding it, of the first rows
     * written and of the end.
     */
    private long[] linkRun(String id, String topic, int n, Runnable atFirstRow, Runnable atEnd) throws Exception {
        // -Dbench.writerConnections=1: the link with one writer connection, to see what the second one brings;
        // -Dbench.batchSize=<n>: the source's batch size (default: the link's default)
        String writers = System.getProperty("bench.writerConnections");
        String sink = writers == null ? "adb:demo.bench10" : "adb:demo.bench10?writerConnections=" + writers;
        String batchSize = System.getProperty("bench.batchSize");
        long start = System.nanoTime();
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).contentType("application/yaml")
                .body("""
                        - route:
                            id: %s
                            from:
                              uri: "kafka-json:%s"
                              parameters:
                                brokers: "{{kafka.bootstrap.servers}}"%s
                              steps:
                                - to: "%s"
                        """.formatted(id, topic, batchSize == null ? "" : "\n        batchSize: " + batchSize,
                        sink).getBytes()).post("/api/links").then().statusCode(201);
        // progress from the link's own counter: COUNT(*) on InnoDB scans the table and would steal the CPU measured
        long first = 0;
        long count;
        while ((count = stats.of(id).recordsOut()) < n) {
            if (first == 0 && count > 0) {
                first = System.nanoTime();
                atFirstRow.run();
            }
            Thread.sleep(10);
        }
        long end = System.nanoTime();
        atEnd.run();
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).delete("/api/links/" + id)
                .then().statusCode(204);
        return new long[]{start, first, end};
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void emptyTable() throws Exception {
        TestServers.mariaDb().execute("TRUNCATE TABLE demo.bench10");
    }

    /**
     * The shipped example links run in every test app; the binlog readers among them would decode the benchmark's
     * own million-row binlog on the same two cores. Nothing but the measured link runs while measuring.
     */
    static void stopOtherLinks() {
        RequestSpecification api = given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
        for (String id : api.get("/api/links").then().extract().jsonPath().<String>getList("id")) {
            given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).post("/api/links/" + id + "/stop");
        }
    }

    private long rows() {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.bench10");
    }

    private static String json(long i) {
        return "{\"id\":" + i + ",\"user_id\":" + (i % 1000) + ",\"kind\":\"kind-" + (i % 17) + "\",\"amount\":"
                + BigDecimal.valueOf(i, 2) + ",\"ratio\":" + (i * 0.5) + ",\"flag\":" + ((i & 1) == 0)
                + ",\"day\":\"" + day(i) + "\",\"ts\":\"" + ts(i) + "\",\"note\":\"note number " + i
                + "\",\"score\":" + (i * 31) + "}";
    }

    private static LocalDate day(long i) {
        return LocalDate.of(2024, 1, 1).plusDays(i % 300);
    }

    private static LocalDateTime ts(long i) {
        return LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6_000_000).plusSeconds(i);
    }

    private static void produce(String topic, int n) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // a fresh topic's first produce can meet NOT_LEADER; an idempotent producer's retry then loops on
                // OutOfOrderSequence (seen on a loaded machine); the ids are unique and only counted, order is no matter
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1"),
                new StringSerializer(), new StringSerializer())) {
            for (long i = 0; i < n; i++) {
                p.send(new ProducerRecord<>(topic, Long.toString(i), json(i)));
            }
            p.flush();
        }
    }

    /** The ceiling's rows: the same values as the messages, already typed in memory. */
    private static Object[][] ceilingRows(int n) {
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new Object[]{(long) i, i % 1000, "kind-" + (i % 17), BigDecimal.valueOf(i, 2), i * 0.5,
                    (i & 1) == 0, day(i), ts(i), "note number " + i, (long) i * 31};
        }
        return rows;
    }

    /** The ceiling: the first {@code n} rows through plain multi-row INSERT statements on one connection; nanos. */
    private long plainInsert(Object[][] rows, int n) throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO demo.bench10 (" + COLUMNS + ") VALUES ");
        for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
            sql.append(r == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?)");
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            c.setAutoCommit(false);
            for (int from = 0; from + ROWS_PER_STATEMENT <= n; from += ROWS_PER_STATEMENT) {
                int k = 0;
                for (int r = from; r < from + ROWS_PER_STATEMENT; r++) {
                    for (Object v : rows[r]) {
                        ps.setObject(++k, v);
                    }
                }
                ps.executeUpdate();
                if ((from + ROWS_PER_STATEMENT) % ROWS_PER_COMMIT == 0) {
                    c.commit();
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
        return System.nanoTime() - start;
    }
}
