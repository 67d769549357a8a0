package io.sluice.link;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sluice.link.ApiTest.api;
import static io.sluice.link.ApiTest.yaml;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PUT /api/links/{id}} on Kafka -> AnalyticDB links against the test kit's Kafka broker and MariaDB: the
 * definition is replaced with the position and the run state kept, a new startTime starts the link from that time, a
 * definition that cannot be created changes nothing; and the API's links in the routes directory.
 */
@QuarkusTest
class LinkEditsTest {

    /**
     * A link from a topic into a table ({@code user.name} and {@code x.extra} are fields two layers deep), with
     * {@code sourceOptions} appended to the source's and {@code adbOptions} to the sink's.
     */
    private static String link(String id, String topic, String table, String sourceOptions, String adbOptions) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "kafka-json:%s?brokers={{kafka.bootstrap.servers}}&batchSize=50%s"
                      steps:
                        - to: "adb:%s?parsedJsonLayers=2%s"
                """.formatted(id, topic, sourceOptions, table, adbOptions.isEmpty() ? "" : "&" + adbOptions);
    }

    private static void table(String table) {
        TestServers.mariaDb().execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(40), extra VARCHAR(40))");
    }

    private static void topic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int from, int to, Long timestamp) {
        for (int id = from; id < to; id++) {
            producer.send(new ProducerRecord<>(topic, null, timestamp, String.valueOf(id), "{\"id\":" + id
                    + ",\"user\":{\"name\":\"u" + id + "\"},\"x\":{\"extra\":\"e" + id + "\"}}"));
        }
        producer.flush();
    }

    private static long rows(String sql) {
        return TestServers.queryLong(sql);
    }

    private static long linkNumber(String id, String field) {
        return api().get("/api/links/" + id).then().statusCode(200).extract().<Number>path(field).longValue();
    }

    /**
     * The mapping of a link edited while records stream in: the rows written before the edit keep the old mapping (the
     * new definition did not read the topic again), every record after it fills the new column, and each record is
     * read and written once.
     */
    @Test
    void aMappingEditedMidStreamAppliesToTheRecordsAfterItAndLosesOrDoublesNothing() throws Exception {
        table("demo.edit_map");
        topic("edit.map");
        String before = link("edit-map", "edit.map", "demo.edit_map", "", "mapping=name=user.name");
        String after = link("edit-map", "edit.map", "demo.edit_map", "", "mapping=name=user.name,extra=x.extra");
        yaml(before).post("/api/links").then().statusCode(201);
        int total = 6_000;
        AtomicInteger sent = new AtomicInteger();
        Thread feed = new Thread(() -> {
            try (KafkaProducer<String, String> producer = TestServers.producer()) {
                while (sent.get() < total) {
                    send(producer, "edit.map", sent.get(), sent.get() + 100, null);
                    sent.addAndGet(100);
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        feed.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_map") >= 1_000);
        long writtenBefore = rows("SELECT COUNT(*) FROM demo.edit_map");
        api().get("/api/links/edit-map").then().body("state", equalTo("running"));

        yaml(after).put("/api/links/edit-map").then().statusCode(200)
                .body("id", equalTo("edit-map")).body("state", equalTo("running"));
        int sentAfterEdit = sent.get();
        assertTrue(sentAfterEdit < total, "edited mid-stream, after " + sentAfterEdit + " records");
        feed.join();

        await().atMost(Duration.ofSeconds(60)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_map") >= total);
        await().atMost(Duration.ofSeconds(10)).until(() -> linkNumber("edit-map", "recordsOut") >= total);
        Thread.sleep(1_000); // a record read twice would show in the counters by now
        assertEquals(total, rows("SELECT COUNT(*) FROM demo.edit_map"));
        assertEquals(total, rows("SELECT COUNT(*) FROM demo.edit_map WHERE name = CONCAT('u', id)"));
        assertEquals(total, linkNumber("edit-map", "recordsIn"), "each record read once across the edit");
        assertEquals(total, linkNumber("edit-map", "recordsOut"), "each record written once across the edit");
        // the rows written before the edit were not read again: they keep the old mapping
        assertTrue(rows("SELECT COUNT(*) FROM demo.edit_map WHERE extra IS NULL") >= writtenBefore,
                "rows written before the edit keep the old mapping");
        // in the topic's order: the old mapping up to the edit, the new one from there on
        long lastOld = rows("SELECT MAX(id) FROM demo.edit_map WHERE extra IS NULL");
        long firstNew = rows("SELECT MIN(id) FROM demo.edit_map WHERE extra IS NOT NULL");
        assertEquals(lastOld + 1, firstNew, "one switch from the old mapping to the new");
        assertTrue(firstNew <= sentAfterEdit, "records sent after the edit have the new mapping");
        assertEquals(total - firstNew, rows("SELECT COUNT(*) FROM demo.edit_map WHERE extra = CONCAT('e', id)"));
        api().get("/api/links/edit-map").then().body("definition.route.from.steps[0].to",
                containsString("extra=x.extra"));
        api().delete("/api/links/edit-map").then().statusCode(204);
    }

    @Test
    void aPausedLinkStaysPausedAfterAnEditAndResumesWithTheNewDefinition() throws Exception {
        table("demo.edit_paused");
        topic("edit.paused");
        yaml(link("edit-paused", "edit.paused", "demo.edit_paused", "", "mapping=name=user.name"))
                .post("/api/links").then().statusCode(201);
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            send(producer, "edit.paused", 0, 100, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_paused") == 100);
            api().post("/api/links/edit-paused/pause").then().statusCode(200).body("state", equalTo("paused"));

            yaml(link("edit-paused", "edit.paused", "demo.edit_paused", "", "mapping=name=user.name,extra=x.extra"))
                    .put("/api/links/edit-paused").then().statusCode(200).body("state", equalTo("paused"));
            send(producer, "edit.paused", 100, 200, null);
            Thread.sleep(2_000);
            assertEquals(100, rows("SELECT COUNT(*) FROM demo.edit_paused"), "nothing arrives while paused");
            api().get("/api/links/edit-paused").then().body("state", equalTo("paused"));

            api().post("/api/links/edit-paused/resume").then().statusCode(200).body("state", equalTo("running"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_paused") == 200);
        }
        assertEquals(100, rows("SELECT COUNT(*) FROM demo.edit_paused WHERE id < 100 AND extra IS NULL"));
        assertEquals(100, rows("SELECT COUNT(*) FROM demo.edit_paused WHERE id >= 100 AND extra = CONCAT('e', id)"));

        // a stopped link stays stopped
        api().post("/api/links/edit-paused/stop").then().statusCode(200);
        yaml(link("edit-paused", "edit.paused", "demo.edit_paused", "", "mapping=name=user.name"))
                .put("/api/links/edit-paused").then().statusCode(200).body("state", equalTo("stopped"));
        api().delete("/api/links/edit-paused").then().statusCode(204);
    }

    /**
     * A new startTime is an explicit reset: the link reads again from the first record at or after it. An edit that
     * keeps the startTime keeps the position.
     */
    @Test
    void aNewStartTimeReadsFromTheNewOffsetAndAnUnchangedOneKeepsThePosition() throws Exception {
        table("demo.edit_start");
        topic("edit.start");
        long january = Instant.parse("2024-01-10T00:00:00Z").toEpochMilli();
        long june = Instant.parse("2024-06-10T00:00:00Z").toEpochMilli();
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            send(producer, "edit.start", 0, 50, january);
            send(producer, "edit.start", 50, 100, june);
        }
        yaml(link("edit-start", "edit.start", "demo.edit_start", "", "mapping=name=user.name"))
                .post("/api/links").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_start") == 100);
        api().get("/api/links/edit-start").then().body("state", equalTo("running"));

        TestServers.mariaDb().execute("DELETE FROM demo.edit_start");
        yaml(link("edit-start", "edit.start", "demo.edit_start", "&startTime=2024-03-01T00:00:00", "mapping=name=user.name"))
                .put("/api/links/edit-start").then().statusCode(200).body("state", equalTo("running"));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_start") == 50);
        Thread.sleep(1_500);
        assertEquals(50, rows("SELECT COUNT(*) FROM demo.edit_start WHERE id >= 50"), "read again from March on");
        assertEquals(0, rows("SELECT COUNT(*) FROM demo.edit_start WHERE id < 50"), "nothing before March");

        // the same startTime with another mapping: the position (after the last record) is kept
        TestServers.mariaDb().execute("DELETE FROM demo.edit_start");
        yaml(link("edit-start", "edit.start", "demo.edit_start", "&startTime=2024-03-01T00:00:00",
                "mapping=name=user.name,extra=x.extra")).put("/api/links/edit-start").then().statusCode(200);
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            send(producer, "edit.start", 100, 110, null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_start") == 10);
        Thread.sleep(1_500);
        assertEquals(10, rows("SELECT COUNT(*) FROM demo.edit_start WHERE id >= 100 AND extra = CONCAT('e', id)"),
                "only the new records: the position was kept");
        api().delete("/api/links/edit-start").then().statusCode(204);
    }

    /** A definition that cannot be created answers 400, and the running link goes on with its old definition. */
    @Test
    void aDefinitionThatCannotBeCreatedChangesNothing() throws Exception {
        table("demo.edit_bad");
        topic("edit.bad");
        String good = link("edit-bad", "edit.bad", "demo.edit_bad", "", "mapping=name=user.name");
        yaml(good).post("/api/links").then().statusCode(201);
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            send(producer, "edit.bad", 0, 20, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_bad") == 20);

            // an unknown destination column: refused when the endpoint is created
            yaml(link("edit-bad", "edit.bad", "demo.edit_bad", "", "mapping=no_such_column=x.extra"))
                    .put("/api/links/edit-bad").then().statusCode(400)
                    .body("error", containsString("no_such_column"));
            // an expression that does not compile: refused only when the route is created
            yaml("""
                    - route:
                        id: edit-bad
                        from:
                          uri: "kafka-json:edit.bad?brokers={{kafka.bootstrap.servers}}"
                          steps:
                            - setProperty:
                                name: x
                                simple: "${body[0"
                            - to: "adb:demo.edit_bad"
                    """).put("/api/links/edit-bad").then().statusCode(400)
                    .body("error", containsString("link 'edit-bad' cannot be created"))
                    .body("error", not(containsString("trial-")));
            // not one route of this id
            yaml(link("other-id", "edit.bad", "demo.edit_bad", "", "")).put("/api/links/edit-bad").then().statusCode(400)
                    .body("error", containsString("one route whose id is 'edit-bad'"));
            yaml(good).put("/api/links/no-such-link").then().statusCode(404);
            api().get("/api/links").then().body("id", not(hasItem(containsString("trial-"))))
                    .body("id", not(hasItem("other-id")));

            api().get("/api/links/edit-bad").then().body("state", equalTo("running"))
                    .body("definition.route.from.steps[0].to", equalTo("adb:demo.edit_bad?parsedJsonLayers=2&mapping=name=user.name"));
            send(producer, "edit.bad", 20, 40, null);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM demo.edit_bad") == 40);
        }
        assertEquals(40, rows("SELECT COUNT(*) FROM demo.edit_bad WHERE name = CONCAT('u', id) AND extra IS NULL"));
        api().delete("/api/links/edit-bad").then().statusCode(204);
    }

    /**
     * The console edits what GET /api/links/{id} shows, where secrets are masked: sending that text back keeps the
     * link's secrets (the routes file holds the password, not the mask), while a secret the user types replaces it.
     */
    @Test
    void aDefinitionReadFromTheApiAndSentBackKeepsTheLinksSecrets() throws Exception {
        Path dir = SluiceTestResource.routesDir();
        String withSecret = """
                - route:
                    id: kept-secret
                    autoStartup: false
                    from:
                      uri: "mysql-binlog:kept-secret"
                      parameters:
                        dataSource: test-mariadb
                        databases: kept_secret
                        stateStore: jdbc
                        stateJdbcUrl: "%s"
                        stateJdbcUser: sluice
                        stateJdbcPassword: hunter2-original
                      steps:
                        - to: "log:kept-secret?level=DEBUG"
                """.formatted(TestServers.mariaDb().jdbcUrl("demo"));
        yaml(withSecret).post("/api/links").then().statusCode(201);
        String shown = api().get("/api/links/kept-secret").then().statusCode(200).extract().path("yaml");
        assertFalse(shown.contains("hunter2-original"), shown);
        assertTrue(shown.contains("******"), shown);
        yaml(shown.replace("level=DEBUG", "level=INFO")).put("/api/links/kept-secret").then().statusCode(200);
        String saved = Files.readString(dir.resolve("kept-secret.yaml"));
        assertTrue(saved.contains("hunter2-original") && saved.contains("level=INFO") && !saved.contains("******"), saved);
        yaml(shown.replace("******", "typed-anew")).put("/api/links/kept-secret").then().statusCode(200);
        saved = Files.readString(dir.resolve("kept-secret.yaml"));
        assertTrue(saved.contains("typed-anew") && !saved.contains("hunter2-original"), saved);
        api().delete("/api/links/kept-secret").then().statusCode(204);
    }

    /** Links added, edited and deleted through the API are written to (and taken out of) the routes directory. */
    @Test
    void theApisLinksAreKeptInTheRoutesDirectory() throws Exception {
        Path dir = SluiceTestResource.routesDir();
        assertTrue(Files.exists(dir.resolve("example-orders.yaml")), "the shipped links are loaded from " + dir);
        String tick = """
                - route:
                    id: kept-tick
                    from:
                      uri: "timer:kept?period=1000"
                      steps:
                        - to: "log:kept?level=DEBUG"
                """;
        yaml(tick).post("/api/links").then().statusCode(201);
        assertEquals(tick, Files.readString(dir.resolve("kept-tick.yaml")));
        String edited = tick.replace("period=1000", "period=2000");
        yaml(edited).put("/api/links/kept-tick").then().statusCode(200);
        assertEquals(edited, Files.readString(dir.resolve("kept-tick.yaml")));
        api().delete("/api/links/kept-tick").then().statusCode(204);
        assertFalse(Files.exists(dir.resolve("kept-tick.yaml")));

        // two links added in one file: editing one moves it to a file of its own, so neither is loaded twice
        String pair = """
                - route:
                    id: pair-a
                    autoStartup: false
                    from:
                      uri: "timer:pair-a?period=1000"
                      steps:
                        - to: "log:pair-a"
                - route:
                    id: pair-b
                    autoStartup: false
                    from:
                      uri: "timer:pair-b?period=1000"
                      steps:
                        - to: "log:pair-b"
                """;
        yaml(pair).post("/api/links").then().statusCode(201);
        assertEquals(pair, Files.readString(dir.resolve("pair-a.yaml")));
        String pairB = pair.substring(pair.indexOf("- route:\n    id: pair-b")).replace("period=1000", "period=3000");
        yaml(pairB).put("/api/links/pair-b").then().statusCode(200).body("state", equalTo("stopped"));
        assertEquals(pairB, Files.readString(dir.resolve("pair-b.yaml")));
        String rest = Files.readString(dir.resolve("pair-a.yaml"));
        assertTrue(rest.contains("pair-a") && !rest.contains("pair-b"), rest);
        api().delete("/api/links/pair-a").then().statusCode(204);
        api().delete("/api/links/pair-b").then().statusCode(204);
        assertFalse(Files.exists(dir.resolve("pair-a.yaml")));
        assertFalse(Files.exists(dir.resolve("pair-b.yaml")));
        // the project's own routes/ is never written by the tests
        assertFalse(Files.exists(Path.of("routes", "kept-tick.yaml")));
    }
}
