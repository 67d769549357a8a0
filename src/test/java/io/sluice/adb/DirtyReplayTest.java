package io.sluice.adb;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /api/links/{id}/dirty/replay against the real MariaDB and Kafka: a record too long for its column stays dirty
 * until the column is widened, then is written exactly once and leaves the dead-letter table, while the link's live
 * records go on being written exactly once; a Kafka dead-letter topic cannot be replayed.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class DirtyReplayTest {

    private static final String LONG_NAME = "a-name-longer-than-eight";

    @Test
    void aRecordTooLongForItsColumnIsReplayedOnceTheColumnIsWidened() throws Exception {
        // no key the record carries: a record written twice would be two rows
        TestServers.mariaDb().execute("CREATE TABLE demo.replay (seq BIGINT AUTO_INCREMENT PRIMARY KEY, id INT NOT NULL, "
                + "name VARCHAR(8) NOT NULL, qty INT)");
        api().contentType("application/yaml").body("""
                - route:
                    id: replay
                    from:
                      uri: "kafka-json:replay"
                      parameters:
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to: "adb:demo.replay?dirtyDataMode=null"
                """.getBytes()).post("/api/links").then().statusCode(201);
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            p.send(new ProducerRecord<>("replay", "k", "{\"id\":1,\"name\":\"short\",\"qty\":1}")).get();
            // NOT NULL: under dirtyDataMode=null the too-long name cannot become NULL, so the record is only a dead letter
            p.send(new ProducerRecord<>("replay", "k", "{\"id\":2,\"name\":\"" + LONG_NAME + "\",\"qty\":2}")).get();
            p.send(new ProducerRecord<>("replay", "k", "[\"not\",\"an\",\"object\"]")).get();
            p.send(new ProducerRecord<>("replay", "k", "{\"id\":3,\"name\":\"ok\",\"qty\":3}")).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("1=1") == 2 && dirty().size() == 2);
        assertEquals(0, count("id = 2"));

        // nothing changed: both stay, with their reasons
        JsonPath still = replay();
        assertEquals(0, still.getInt("replayed"));
        assertEquals(2, still.getInt("stillDirty"));
        List<Map<String, Object>> kept = still.getList("records");
        assertEquals(2, kept.size(), String.valueOf(kept));
        assertTrue(kept.stream().anyMatch(r -> String.valueOf(r.get("reason")).contains("more than the 8 allowed")
                && String.valueOf(r.get("rawMessage")).contains(LONG_NAME) && "name".equals(r.get("field"))
                && String.valueOf(r.get("position")).endsWith("offset 1")), String.valueOf(kept));
        assertTrue(kept.stream().anyMatch(r -> String.valueOf(r.get("reason")).contains("must be an object")), String.valueOf(kept));
        assertEquals(2, dirty().size());
        assertEquals(0, count("id = 2"));

        TestServers.mariaDb().execute("ALTER TABLE demo.replay MODIFY name VARCHAR(64) NOT NULL");

        // replay while live records keep arriving: each of them must be written exactly once
        int live = 300;
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<String, String> p = TestServers.producer()) {
                for (int i = 0; i < live; i++) {
                    p.send(new ProducerRecord<>("replay", "k", "{\"id\":" + (100 + i) + ",\"name\":\"live\",\"qty\":" + i + "}"));
                    if (i % 20 == 0) {
                        p.flush();
                        Thread.sleep(20);
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        JsonPath done = replay();
        traffic.get();
        assertEquals(1, done.getInt("replayed"), done.prettify());
        assertEquals(1, done.getInt("stillDirty"), done.prettify());
        assertTrue(done.getList("records", Map.class).stream()
                .allMatch(r -> String.valueOf(r.get("reason")).contains("must be an object")), done.prettify());

        assertEquals(1, count("id = 2 AND name = '" + LONG_NAME + "' AND qty = 2"));
        assertEquals(1, count("id = 2"));
        List<Map<String, Object>> left = dirty();
        assertEquals(1, left.size(), String.valueOf(left));
        assertTrue(String.valueOf(left.get(0).get("rawMessage")).startsWith("["), String.valueOf(left));

        await().atMost(Duration.ofSeconds(60)).until(() -> count("name = 'live'") >= live);
        assertEquals(live, count("name = 'live'"));
        assertEquals(live, TestServers.queryLong("SELECT COUNT(DISTINCT id) FROM demo.replay WHERE name = 'live'"));
        // the good records of before are untouched, once each
        assertEquals(1, count("id = 1 AND name = 'short' AND qty = 1"));
        assertEquals(1, count("id = 3 AND name = 'ok' AND qty = 3"));
        assertEquals(live + 3, count("1=1"));
        api().get("/api/links/replay").then().statusCode(200).body("state", equalTo("running"));
        api().get("/api/links/replay").then().body("runLog.message", org.hamcrest.Matchers.hasItem(
                containsString("dirty data replayed: 1 record(s) written, 1 still dirty")));
        api().delete("/api/links/replay").then().statusCode(204);
    }

    @Test
    void aKafkaDeadLetterTopicCannotBeReplayed() {
        TestServers.mariaDb().execute("CREATE TABLE demo.replay_topic (id INT PRIMARY KEY)");
        api().contentType("application/yaml").body("""
                - route:
                    id: replay-topic
                    from:
                      uri: "kafka-json:replay-topic"
                      parameters:
                        dataSource: test-cluster
                      steps:
                        - to: "adb:demo.replay_topic?dirtyDataMode=null&deadLetterTopic=sluice.replay.dirty&deadLetterKafka=test-cluster"
                """.getBytes()).post("/api/links").then().statusCode(201);
        api().post("/api/links/replay-topic/dirty/replay").then().statusCode(409)
                .body("error", containsString("Kafka topic sluice.replay.dirty"))
                .body("error", containsString("cannot be removed"));
        api().post("/api/links/no-such-link/dirty/replay").then().statusCode(404);
        api().delete("/api/links/replay-topic").then().statusCode(204);
    }

    private static JsonPath replay() {
        return api().post("/api/links/replay/dirty/replay").then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> dirty() {
        return api().get("/api/links/replay/dirty?limit=100").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static long count(String where) {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.replay WHERE " + where);
    }
}
