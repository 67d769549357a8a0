package io.sluice.link;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app with its default {@code sluice.links.write-to-routes-dir=true}: a link added and then edited through
 * the API is there after a restart, with its edited definition, its position and its pause (resumed, it continues from
 * where it paused); a deleted one is gone after the next.
 */
class ApiLinksRestartIT {

    private static final String TOKEN = "restart-test-token-0123456789";

    private static String link(String mapping) {
        return """
                - route:
                    id: kept-orders
                    from:
                      uri: "kafka-json:kept.orders?brokers={{kafka.bootstrap.servers}}"
                      steps:
                        - to: "adb:demo.kept_orders?parsedJsonLayers=2&mapping=%s"
                """.formatted(mapping);
    }

    private static void send(int from, int to) {
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            for (int id = from; id < to; id++) {
                producer.send(new ProducerRecord<>("kept.orders", String.valueOf(id), "{\"id\":" + id
                        + ",\"user\":{\"name\":\"u" + id + "\"},\"x\":{\"extra\":\"e" + id + "\"}}"));
            }
        }
    }

    private static RequestSpecification api(SluiceProcess sluice) {
        return RestAssured.given().baseUri(sluice.baseUrl()).header("Authorization", "Bearer " + TOKEN);
    }

    private static long rows(String where) {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.kept_orders" + where);
    }

    @Test
    void aLinkAddedAndEditedThroughTheApiIsThereAfterARestartAndADeletedOneIsNot() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.kept_orders (id INT PRIMARY KEY, name VARCHAR(40), extra VARCHAR(40))");
        Map<String, String> props = Map.of(
                "quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"),
                "quarkus.datasource.password", "sluice-demo-pw",
                "kafka.bootstrap.servers", TestServers.kafka().bootstrapServers(),
                "sluice.api.token", TOKEN);
        Path dir = Path.of("target", "api-links-restart-it");
        try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of())) {
            sluice.start();
            api(sluice).contentType("application/yaml").body(link("name=user.name").getBytes()).post("/api/links")
                    .then().statusCode(201);
            send(0, 100);
            await().atMost(Duration.ofSeconds(60)).until(() -> rows("") == 100);
            String edited = link("name=user.name,extra=x.extra");
            api(sluice).contentType("application/yaml").body(edited.getBytes()).put("/api/links/kept-orders")
                    .then().statusCode(200).body("state", equalTo("running"));
            assertEquals(edited, Files.readString(dir.resolve("routes").resolve("kept-orders.yaml")));

            // paused by the user: it comes up paused after the restart (its run state is in the state directory)
            api(sluice).post("/api/links/kept-orders/pause").then().statusCode(200).body("state", equalTo("paused"));

            assertTrue(sluice.terminate(Duration.ofSeconds(60)) >= 0, "stopped within the stop timeout");
            send(100, 200);
            sluice.start();
            api(sluice).get("/api/links/kept-orders").then().statusCode(200)
                    .body("definition.route.from.steps[0].to", containsString("extra=x.extra"))
                    .body("state", equalTo("paused"));
            Thread.sleep(1_500);
            assertEquals(100, rows(""), "a link paused before the restart reads nothing after it");
            api(sluice).post("/api/links/kept-orders/resume").then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> rows("") == 200);
            Thread.sleep(1_500);
            assertEquals(100, rows(" WHERE id < 100 AND extra IS NULL"), "not read again after the restart");
            assertEquals(100, rows(" WHERE id >= 100 AND extra = CONCAT('e', id)"), "the edited mapping after the restart");
            api(sluice).get("/api/links/kept-orders").then().body("state", equalTo("running"))
                    .body("recordsIn", equalTo(100));

            api(sluice).delete("/api/links/kept-orders").then().statusCode(204);
            assertFalse(Files.exists(dir.resolve("routes").resolve("kept-orders.yaml")));
            assertTrue(sluice.terminate(Duration.ofSeconds(60)) >= 0);
            sluice.start();
            api(sluice).get("/api/links/kept-orders").then().statusCode(404);
        }
    }
}
