package io.sluice.link;

import io.restassured.RestAssured;
import io.sluice.maxcompute.MergeCheck;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while the sinks do not answer: the packaged app exits within the stop timeout (5 s here) instead of waiting
 * for batches that cannot finish, the abandoned work is named in the log, and after a restart with the servers back
 * every destination equals its source (the positions stayed at their last committed point). Two links: Kafka ->
 * AnalyticDB (the database stalled) and MySQL -> MaxCompute (the MaxCompute server stalled).
 */
class BoundedShutdownIT {

    private static final String TOKEN = "shutdown-test-token-0123456789";
    private static final int MESSAGES = 6_000;
    private static final int ROWS = 3_000;

    @Test
    void sigtermWhileTheSinksDoNotAnswerExitsWithinTheStopTimeoutAndLosesNothing() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.shutdown_adb (id INT PRIMARY KEY, v VARCHAR(20)); "
                + "CREATE DATABASE shutdown_src; CREATE TABLE shutdown_src.shutdown_seq (id INT PRIMARY KEY, n INT)");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("shutdown-adb", 2, (short) 1))).all().get();
        }
        try (TcpProxy database = new TcpProxy(TestServers.mariaDb().port());
             TcpProxy maxCompute = new TcpProxy(TestServers.maxCompute().port())) {
            Map<String, String> props = new HashMap<>(TestServers.mysqlDataSource("src", 7401));
            String mc = "http://127.0.0.1:" + maxCompute.port();
            props.putAll(Map.of(
                    "sluice.links.stop-timeout", "5S",
                    "sluice.state.dir", "state",
                    "sluice.api.token", TOKEN,
                    "kafka.bootstrap.servers", TestServers.kafka().bootstrapServers(),
                    "sluice.jdbc.stalled.url", "jdbc:mariadb://127.0.0.1:" + database.port() + "/demo",
                    "sluice.jdbc.stalled.username", "sluice",
                    "sluice.jdbc.stalled.password", "sluice-demo-pw"));
            props.putAll(Map.of(
                    "sluice.maxcompute.mc.endpoint", mc + "/api",
                    "sluice.maxcompute.mc.tunnel-endpoint", mc,
                    "sluice.maxcompute.mc.project", TestServers.MAXCOMPUTE_PROJECT,
                    "sluice.maxcompute.mc.access-id", TestServers.MAXCOMPUTE_ACCESS_ID,
                    "sluice.maxcompute.mc.access-key", TestServers.MAXCOMPUTE_ACCESS_KEY));
            String routes = """
                    - route:
                        id: shutdown-adb
                        from:
                          uri: "kafka-json:shutdown-adb"
                          parameters:
                            brokers: "{{kafka.bootstrap.servers}}"
                            batchSize: 200
                          steps:
                            - to: "adb:demo.shutdown_adb?dataSource=stalled"
                    - route:
                        id: shutdown-mc
                        from:
                          uri: "mysql-binlog:shutdown-mc"
                          parameters:
                            dataSource: src
                            databases: shutdown_src
                            maxBatchSize: 100
                          steps:
                            - to:
                                uri: "maxcompute:shutdown-mc"
                                parameters:
                                  dataSource: mc
                    """;
            Path dir = Path.of("target", "bounded-shutdown-it");
            try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of("links.yaml", routes))) {
                sluice.start();
                send(0, MESSAGES / 2);
                insert(0, ROWS / 2);
                await().atMost(Duration.ofSeconds(120)).until(() -> adbRows() > 0 && mcLogged(sluice));

                database.stall();
                maxCompute.stall();
                send(MESSAGES / 2, MESSAGES);
                insert(ROWS / 2, ROWS);
                Thread.sleep(3_000); // batches are now in flight against sinks that do not answer

                // a pause is bounded the same way: it answers within the stop timeout with the link paused
                long pauseStart = System.nanoTime();
                api(sluice).post("/api/links/shutdown-adb/pause").then().statusCode(200)
                        .body("state", org.hamcrest.Matchers.equalTo("paused"));
                long pauseMs = (System.nanoTime() - pauseStart) / 1_000_000;
                assertTrue(pauseMs < 10_000, "pausing took " + pauseMs + " ms with a 5 s stop timeout");
                api(sluice).post("/api/links/shutdown-adb/resume").then().statusCode(200);
                Thread.sleep(2_000);

                long start = System.nanoTime();
                long exitMs = sluice.terminate(Duration.ofSeconds(45));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                // the links stop within 5 s; the rest of Quarkus' shutdown takes a few seconds more on a busy machine
                assertTrue(exitMs >= 0, "Sluice did not exit within 45 s of SIGTERM (its threads: threads-1.txt)");
                assertTrue(tookMs < 20_000, "SIGTERM took " + tookMs + " ms with a 5 s stop timeout");
                String log = Files.readString(dir.resolve("sluice-1.log"));
                assertTrue(log.contains("was abandoned"), "the log names what was abandoned");

                database.restore();
                maxCompute.restore();
                sluice.start();
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> adbRows() == MESSAGES);
                assertEquals(MESSAGES, TestServers.queryLong("SELECT COUNT(*) FROM demo.shutdown_adb WHERE v = CONCAT('v', id)"));
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                        assertEquals(MergeCheck.source("shutdown_src", "shutdown_seq", List.of("id", "n")), MergeCheck.merge(
                                api(sluice).get("/api/links/shutdown-mc/merge-sql?table=shutdown_seq&time="
                                        + (Instant.now().getEpochSecond() + 3600)).then().statusCode(200).extract().asString(),
                                "shutdown_seq")));
            }
        }
    }

    private static io.restassured.specification.RequestSpecification api(SluiceProcess sluice) {
        return RestAssured.given().baseUri(sluice.baseUrl()).header("Authorization", "Bearer " + TOKEN);
    }

    private static boolean mcLogged(SluiceProcess sluice) {
        Number out = api(sluice).get("/api/links/shutdown-mc").then().extract().path("recordsOut");
        return out != null && out.longValue() > 0;
    }

    private static long adbRows() {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.shutdown_adb");
    }

    private static void send(int from, int to) {
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            for (int id = from; id < to; id++) {
                p.send(new ProducerRecord<>("shutdown-adb", String.valueOf(id), "{\"id\":" + id + ",\"v\":\"v" + id + "\"}"));
            }
            p.flush();
        }
    }

    private static void insert(int from, int to) {
        for (int s = from; s < to; s += 100) {
            StringBuilder sb = new StringBuilder("INSERT INTO shutdown_src.shutdown_seq VALUES ");
            for (int i = s; i < Math.min(to, s + 100); i++) {
                sb.append(i == s ? "" : ",").append("(").append(i).append(",").append(i).append(")");
            }
            TestServers.mariaDb().execute(sb.toString());
        }
        TestServers.mariaDb().execute("UPDATE shutdown_src.shutdown_seq SET n = n + 1 WHERE id >= " + from + " AND id < " + to);
    }
}
