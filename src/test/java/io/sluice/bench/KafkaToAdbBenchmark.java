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
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kafka (JSON) -> AnalyticDB throughput, against the ceiling measured in the same run: a plain JDBC multi-row
 * INSERT of the same rows into the same table (1000 rows per statement, 2000 per transaction, as the link's
 * defaults), measured before and after the link (the machine is shared and noisy: the ratio is taken against the
 * better one). Not part of the test run (the class name does not end in Test); see BENCHMARKS.md for the command.
 */
@QuarkusTest
class KafkaToAdbBenchmark {

    private static final String COLUMNS = "id, user_id, kind, amount, ratio, flag, day, ts, note, score";
    private static final int ROWS_PER_STATEMENT = 1_000;
    private static final int ROWS_PER_COMMIT = 2_000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LinkStatsRegistry stats;

    @Test
    void linkAgainstPlainJdbcInsert() throws Exception {
        int n = Integer.getInteger("bench.messages", 1_000_000);
        stopOtherLinks();
        TestServers.mariaDb().execute("DROP TABLE IF EXISTS demo.bench10_ref; DROP TABLE IF EXISTS demo.bench10; CREATE TABLE demo.bench10 ("
                + "id BIGINT NOT NULL PRIMARY KEY, user_id INT NOT NULL, kind VARCHAR(32), amount DECIMAL(12,2), "
                + "ratio DOUBLE, flag TINYINT(1), day DATE, ts DATETIME(3), note VARCHAR(128), score BIGINT)");
        produce(n);

        long ceilingBefore = plainInsert(n);
        assertEquals(n, rows());
        TestServers.mariaDb().execute("TRUNCATE TABLE demo.bench10");

        // -Dbench.jfr=<file>: a Flight Recorder profile of the link phase, to see where its time goes
        jdk.jfr.Recording profile = BenchProfile.start();
        // -Dbench.writerConnections=1: the link with one writer connection, to see what the second one brings;
        // -Dbench.batchSize=<n>: the source's batch size (default 20000, the link's default)
        String writers = System.getProperty("bench.writerConnections");
        String sink = writers == null ? "adb:demo.bench10" : "adb:demo.bench10?writerConnections=" + writers;
        long start = System.nanoTime();
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).contentType("application/yaml")
                .body("""
                        - route:
                            id: bench10
                            from:
                              uri: "kafka-json:bench10"
                              parameters:
                                brokers: "{{kafka.bootstrap.servers}}"
                                batchSize: %s
                              steps:
                                - to: "%s"
                        """.formatted(Integer.getInteger("bench.batchSize", 20_000), sink).getBytes()).post("/api/links").then().statusCode(201);
        // progress from the link's own counter: COUNT(*) on InnoDB scans the table and would steal the CPU measured
        long first = 0;
        long count;
        while ((count = recordsOut()) < n) {
            if (first == 0 && count > 0) {
                first = System.nanoTime();
            }
            Thread.sleep(10);
        }
        long end = System.nanoTime();
        BenchProfile.stop(profile);
        assertEquals(n, rows());
        assertEquals(n, TestServers.queryLong("SELECT COUNT(*) FROM demo.bench10 WHERE kind = CONCAT('kind-', id % 17) "
                + "AND score = id * 31 AND amount = id / 100"));

        TestServers.mariaDb().execute("CREATE TABLE demo.bench10_ref LIKE demo.bench10");
        long ceilingAfter = plainInsert(n, "demo.bench10_ref");
        double before = n / (ceilingBefore / 1e9);
        double after = n / (ceilingAfter / 1e9);
        double ceiling = Math.max(before, after);
        double linkTotal = n / ((end - start) / 1e9);
        double linkSteady = first == 0 ? linkTotal : n / ((end - first) / 1e9);
        System.out.printf("%nBENCH kafka->adb %,d messages x 10 columns%n", n);
        System.out.printf("BENCH ceiling (plain JDBC multi-row INSERT, %d rows/statement): %,.0f rows/s before, %,.0f after the link%n",
                ROWS_PER_STATEMENT, before, after);
        System.out.printf("BENCH link, from start (incl. consumer group join): %,.0f rows/s  ratio %.2f to the better ceiling%n", linkTotal, linkTotal / ceiling);
        System.out.printf("BENCH link, from first row written:               %,.0f rows/s  ratio %.2f to the better ceiling%n%n", linkSteady, linkSteady / ceiling);
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

    /** Read in-process: an HTTP call every few ms costs the link noticeable CPU on two cores. */
    private long recordsOut() {
        return stats.of("bench10").recordsOut();
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

    private static void produce(int n) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("bench10", 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer())) {
            for (long i = 0; i < n; i++) {
                p.send(new ProducerRecord<>("bench10", Long.toString(i), json(i)));
            }
            p.flush();
        }
    }

    /** The ceiling: the same rows, already in memory as values, through plain multi-row INSERT statements. */
    private long plainInsert(int n) throws Exception {
        return plainInsert(n, "demo.bench10");
    }

    private long plainInsert(int n, String table) throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (" + COLUMNS + ") VALUES ");
        for (int r = 0; r < ROWS_PER_STATEMENT; r++) {
            sql.append(r == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?,?)");
        }
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new Object[]{(long) i, i % 1000, "kind-" + (i % 17), BigDecimal.valueOf(i, 2), i * 0.5,
                    (i & 1) == 0, day(i), ts(i), "note number " + i, (long) i * 31};
        }
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            c.setAutoCommit(false);
            for (int from = 0; from < n; from += ROWS_PER_STATEMENT) {
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
