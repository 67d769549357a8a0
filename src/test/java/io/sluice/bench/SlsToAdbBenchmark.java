package io.sluice.bench;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.LogItem;
import com.aliyun.openservices.log.common.TagContent;
import com.aliyun.openservices.log.request.PutLogsRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * SLS -> AnalyticDB (MariaDB) throughput: rows/s through the link (local SLS server, 4 shards, adb sink upserting)
 * against, in the same run, the ceiling of a plain batched JDBC multi-row INSERT of the same rows into the same kind
 * of table. Not part of the test run (the class name does not end in Test); run it with
 * {@code ./mvnw -B test -Dtest=SlsToAdbBenchmark -Dbench.rows=200000}. See BENCHMARKS.md.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class SlsToAdbBenchmark {

    @Inject
    LinkStatsRegistry stats;

    private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
    private static final int WARMUP_ROWS = 100_000;
    private static final int LOGS_PER_GROUP = 500;
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final String TABLE = """
            CREATE TABLE demo.%s (
              request_id VARCHAR(64) NOT NULL PRIMARY KEY,
              log_time DATETIME NOT NULL,
              topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32),
              seq INT, amount DECIMAL(12,2), path VARCHAR(255))""";

    @Test
    void linkAgainstPlainJdbcInsert() throws Exception {
        KafkaToAdbBenchmark.stopOtherLinks();
        // warm-up: the same paths once on fewer rows, so the JIT has compiled them before anything is timed
        prepare("bench-warmup", WARMUP_ROWS);
        plainJdbcInsert(WARMUP_ROWS);
        throughTheLink("bench-warmup", WARMUP_ROWS, "upsert");

        prepare("bench", ROWS);
        double ceiling = plainJdbcInsert(ROWS);
        jdk.jfr.Recording profile = BenchProfile.start(); // -Dbench.jfr=<file>: a profile of the upsert run
        double link = throughTheLink("bench", ROWS, "upsert");
        BenchProfile.stop(profile);
        double ceiling2 = plainJdbcInsert(ROWS);
        TestServers.mariaDb().execute("TRUNCATE TABLE demo.sls_bench");
        double linkInsert = throughTheLink("bench", ROWS, "insert");

        System.out.printf("%nSLS -> AnalyticDB benchmark, %d rows (%d logs per log group, 4 shards)%n", ROWS, LOGS_PER_GROUP);
        System.out.printf("  plain batched JDBC INSERT (%d rows/statement): %,.0f rows/s (before), %,.0f rows/s (after)%n",
                ROWS_PER_STATEMENT, ceiling, ceiling2);
        System.out.printf("  through the link (sls -> adb upsert):          %,.0f rows/s%n", link);
        System.out.printf("  through the link, writeMode=insert:            %,.0f rows/s%n", linkInsert);
        System.out.printf("  ratio link (upsert) / best ceiling: %.2f, link (insert) / best ceiling: %.2f%n%n",
                link / Math.max(ceiling, ceiling2), linkInsert / Math.max(ceiling, ceiling2));
    }

    /** Empty destination tables and a 4-shard logstore holding {@code rows} logs. */
    private static void prepare(String logstore, int rows) throws Exception {
        TestServers.mariaDb().execute("DROP TABLE IF EXISTS demo.sls_bench; DROP TABLE IF EXISTS demo.sls_bench_ref;"
                + TABLE.formatted("sls_bench") + ";" + TABLE.formatted("sls_bench_ref"));
        TestServers.sls().createLogstore(DemoSls.PROJECT, logstore, 4);
        writeLogs(TestServers.slsClient(), logstore, rows);
    }

    private static void writeLogs(Client client, String logstore, int rows) throws Exception {
        for (int start = 0; start < rows; start += LOGS_PER_GROUP) {
            List<LogItem> items = new ArrayList<>(LOGS_PER_GROUP);
            for (int seq = start; seq < Math.min(rows, start + LOGS_PER_GROUP); seq++) {
                LogItem item = new LogItem(1710604800 + seq % 86400);
                item.PushBack("request_id", "r-" + seq);
                item.PushBack("seq", String.valueOf(seq));
                item.PushBack("amount", (seq % 10000) + ".25");
                item.PushBack("path", "/api/orders/" + seq);
                items.add(item);
            }
            PutLogsRequest request = new PutLogsRequest(DemoSls.PROJECT, logstore, "bench-topic", "10.1.2.3", items);
            request.SetTags(new ArrayList<>(List.of(new TagContent("env", "bench"))));
            client.PutLogs(request);
        }
    }

    /** The ceiling: the same rows, already typed, written with multi-row INSERTs on one connection. */
    private static double plainJdbcInsert(int rows) throws Exception {
        TestServers.mariaDb().execute("TRUNCATE TABLE demo.sls_bench_ref");
        StringBuilder sql = new StringBuilder("INSERT INTO demo.sls_bench_ref (request_id, log_time, topic, source_ip, env, seq, amount, path) VALUES ");
        for (int i = 0; i < ROWS_PER_STATEMENT; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?)");
        }
        long t0 = System.nanoTime();
        try (Connection c = java.sql.DriverManager.getConnection(TestServers.mariaDb().jdbcUrl("demo"), "sluice", "sluice-demo-pw");
             PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int start = 0; start < rows; start += ROWS_PER_STATEMENT) {
                int p = 1;
                for (int seq = start; seq < start + ROWS_PER_STATEMENT; seq++) {
                    ps.setString(p++, "r-" + seq);
                    ps.setTimestamp(p++, new Timestamp((1710604800L + seq % 86400) * 1000));
                    ps.setString(p++, "bench-topic");
                    ps.setString(p++, "10.1.2.3");
                    ps.setString(p++, "bench");
                    ps.setInt(p++, seq);
                    ps.setBigDecimal(p++, new BigDecimal((seq % 10000) + ".25"));
                    ps.setString(p++, "/api/orders/" + seq);
                }
                ps.executeUpdate();
            }
        }
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    private double throughTheLink(String logstore, int rows, String writeMode) {
        String route = """
                - route:
                    id: sls-bench-%s
                    from:
                      uri: "sls:%s"
                      parameters:
                        dataSource: demo
                        batchSize: %s
                      steps:
                        - to:
                            uri: "adb:demo.sls_bench"
                            parameters:
                              mapping: "log_time=__time__,topic=__topic__,source_ip=__source__,env=__tag__:env"
                              unixTimestampUnit: seconds
                              writeMode: %s
                """.formatted(writeMode, logstore, Integer.getInteger("bench.batchSize", 10), writeMode);
        long t0 = System.nanoTime();
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).contentType("application/yaml")
                .body(route.getBytes()).post("/api/links").then().statusCode(201);
        // the link's own counter (records committed by the sink), read in-process: COUNT(*) would compete with the
        // writes, and an HTTP call every few ms costs the link noticeable CPU on two cores
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> stats.of("sls-bench-" + writeMode).recordsOut() >= rows);
        double rate = rows / ((System.nanoTime() - t0) / 1e9);
        long written = TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_bench");
        if (written != rows) {
            throw new AssertionError("the link wrote " + written + " rows, expected " + rows);
        }
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).delete("/api/links/sls-bench-" + writeMode);
        return rate;
    }
}
