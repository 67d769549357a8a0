package io.sluice.adb;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Kafka (JSON) -> AnalyticDB link against the real broker and MariaDB. */
@QuarkusTest
class KafkaToAdbLinkTest {

    private static final String LINK = "aps-kafka-events";

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + io.sluice.testkit.SluiceTestResource.TOKEN);
    }

    @Test
    void movesNestedJsonWithMappingAndTimestampsAcrossPauseAndRestart() throws Exception {
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            send(producer, 0, 3_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> rows() >= 3_000);
            api().post("/api/links/" + LINK + "/pause").then().statusCode(200).body("state", equalTo("paused"));
            send(producer, 3_000, 6_000);
            Thread.sleep(2_000);
            assertEquals(3_000, rows(), "nothing arrives while paused");
            api().post("/api/links/" + LINK + "/resume").then().statusCode(200);
            send(producer, 6_000, 8_000);
            api().post("/api/links/" + LINK + "/stop").then().statusCode(200);
            api().post("/api/links/" + LINK + "/start").then().statusCode(200);
            send(producer, 8_000, 10_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> rows() >= 10_000);
        }
        assertEquals(10_000, rows());
        // the shipped route is written with kamelets; they are inlined, so the link is one route reading the topic
        api().get("/api/links/" + LINK).then().body("source", equalTo("kafka-json:demo.events"))
                .body("sink", equalTo("adb:demo.events"));
        // every row equals its message: nested fields, mapping, decimal, unix seconds -> DATETIME, array -> JSON
        assertEquals(10_000, TestServers.queryLong("SELECT COUNT(*) FROM demo.events WHERE user_name = CONCAT('u', id) "
                + "AND user_level = id % 7 AND amount = id + 0.5 AND happened_at = FROM_UNIXTIME(1710604800 + id) "
                + "AND JSON_EXTRACT(tags, '$[0]') = 'x'"));
        api().get("/api/links/" + LINK).then().body("recordsOut", equalTo(
                api().get("/api/links/" + LINK).then().extract().path("recordsIn")));
        api().get("/api/links/" + LINK + "/preview").then().statusCode(200).body("$", hasSize(10))
                .body("[0].row.user_name", containsString("u"));
    }

    @Test
    void dirtyDataStopsTheLinkOrIsWrittenAsNull() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE IF NOT EXISTS demo.strict (id INT PRIMARY KEY, qty INT, note VARCHAR(4))");
        // added through the API and written with the kamelets, as users write links
        String route = """
                - route:
                    id: %s
                    from:
                      uri: "kamelet:kafka-json-source"
                      parameters:
                        topic: %s
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to:
                            uri: "kamelet:adb-sink"
                            parameters:
                              table: demo.strict
                              dirtyDataMode: %s
                """;
        api().contentType("application/yaml").body(route.formatted("strict-stop", "strict.stop", "stop").getBytes())
                .post("/api/links").then().statusCode(201);
        api().contentType("application/yaml").body(route.formatted("strict-null", "strict.null", "null").getBytes())
                .post("/api/links").then().statusCode(201);
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            for (String topic : new String[]{"strict.stop", "strict.null"}) {
                int base = topic.endsWith("stop") ? 0 : 100;
                producer.send(new ProducerRecord<>(topic, "k", "{\"id\":" + (base + 1) + ",\"qty\":5,\"note\":\"ok\"}")).get();
                producer.send(new ProducerRecord<>(topic, "k", "{\"id\":" + (base + 2) + ",\"qty\":\"abc\",\"note\":\""
                        + (topic.endsWith("stop") ? "too long" : "ok") + "\"}")).get();
                producer.send(new ProducerRecord<>(topic, "k", "not json")).get();
                producer.send(new ProducerRecord<>(topic, "k", "{\"id\":" + (base + 3) + ",\"qty\":7,\"note\":\"ok\"}")).get();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "failed".equals(api().get("/api/links/strict-stop").then().extract().path("state")));
        api().get("/api/links/strict-stop").then()
                .body("lastError", containsString("offset 1"))
                .body("lastError", containsString("qty"))
                .body("lastError", containsString("abc"));
        assertEquals(0, TestServers.queryLong("SELECT COUNT(*) FROM demo.strict WHERE id > 1 AND id < 100"),
                "nothing after the dirty record is written");
        // every bad field of the stopping record is in the dead-letter channel
        api().get("/api/links/strict-stop/dirty").then().statusCode(200).body("$", hasSize(2))
                .body("field", org.hamcrest.Matchers.containsInAnyOrder("qty", "note"));

        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestServers.queryLong("SELECT COUNT(*) FROM demo.strict WHERE id > 100") == 3);
        assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM demo.strict WHERE id = 102 AND qty IS NULL AND note = 'ok'"));
        api().get("/api/links/strict-null").then().body("state", equalTo("running")).body("recordsDirty", equalTo(2));
        api().get("/api/links/strict-null/dirty").then().body("$", hasSize(2))
                .body("reason.flatten()", org.hamcrest.Matchers.hasItem(containsString("not valid JSON")));
        api().delete("/api/links/strict-stop").then().statusCode(204);
        api().delete("/api/links/strict-null").then().statusCode(204);
    }

    @Test
    void aMappingToAnUnknownColumnIsRefusedBeforeTheLinkRuns() {
        api().contentType("application/yaml").body("""
                - route:
                    id: bad-mapping
                    from:
                      uri: "kafka-json:bad.mapping"
                      parameters:
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to:
                            uri: "adb:demo.events"
                            parameters:
                              mapping: "no_such_column=a.b"
                """.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("unknown destination column(s) [no_such_column]"))
                .body("error", containsString("user_name"));
        api().get("/api/links/bad-mapping").then().statusCode(404);
    }

    private static long rows() {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.events WHERE id < 1000000");
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to) throws Exception {
        for (int id = from; id < to; id++) {
            producer.send(new ProducerRecord<>("demo.events", String.valueOf(id), "{\"id\":" + id
                    + ",\"user\":{\"name\":\"u" + id + "\",\"level\":" + (id % 7) + "},\"order\":{\"amount\":" + id
                    + ".5},\"ts\":" + (1710604800L + id) + ",\"tags\":[\"x\"]}"));
        }
        producer.flush();
    }
}
