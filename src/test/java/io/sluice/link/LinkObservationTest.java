package io.sluice.link;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the console watches of a link: its kind, rows/s over the last minute, its history, its definition as YAML. */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class LinkObservationTest {

    private static final String SECRET = "s3cret-state-pw-4711";

    @Test
    void aMovingLinkShowsRowsPerSecondAndAHistoryOfPoints() {
        api().contentType("application/yaml").body(("""
                - route:
                    id: observe-tick
                    from:
                      uri: "timer:observe-tick?period=20"
                      steps:
                        - to: "log:observe-tick?level=DEBUG"
                """).getBytes()).post("/api/links").then().statusCode(201);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    api().get("/api/links/observe-tick").then().extract().jsonPath().getDouble("rowsPerSecond") > 0);
            JsonPath view = api().get("/api/links/observe-tick").then().statusCode(200).extract().jsonPath();
            assertEquals("other", view.getString("kind"), "a timer -> log link is none of the seeds' links");
            assertNull(view.get("fullLoad"), "no full load for a link that is no binlog link");
            // the history is sampled every second in the tests (sluice.links.history-interval=1S)
            await().atMost(Duration.ofSeconds(20)).until(() -> api().get("/api/links/observe-tick/history").then()
                    .extract().jsonPath().getList("points").size() >= 3);
            JsonPath history = api().get("/api/links/observe-tick/history").then().statusCode(200).extract().jsonPath();
            assertEquals(1.0, history.getDouble("intervalSeconds"));
            List<Map<String, Object>> points = history.getList("points");
            assertTrue(points.stream().anyMatch(p -> ((Number) p.get("rowsPerSecond")).doubleValue() > 0),
                    "the link moved records between samples: " + points);
            Instant first = Instant.parse((String) points.get(0).get("time"));
            Instant last = Instant.parse((String) points.get(points.size() - 1).get("time"));
            assertTrue(last.isAfter(first), "oldest first: " + points);
            assertTrue(points.get(0).containsKey("lagSeconds"));
            // paused, it moves nothing: the newest points say so
            api().post("/api/links/observe-tick/pause").then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<Map<String, Object>> p = api().get("/api/links/observe-tick/history").then().extract().jsonPath()
                        .getList("points");
                return ((Number) p.get(p.size() - 1).get("rowsPerSecond")).doubleValue() == 0;
            });
        } finally {
            api().delete("/api/links/observe-tick").then().statusCode(204);
        }
        api().get("/api/links/observe-tick/history").then().statusCode(404);
    }

    @Test
    void theDefinitionAsYamlHasTheRouteButNotItsSecret() {
        String stateUrl = TestServers.mariaDb().jdbcUrl("demo");
        api().contentType("application/yaml").body(("""
                - route:
                    id: observe-yaml
                    description: "binlog to Kafka, not started"
                    autoStartup: false
                    from:
                      uri: "mysql-binlog:observe-yaml"
                      parameters:
                        dataSource: test-mariadb
                        databases: observe_yaml
                        stateStore: jdbc
                        stateJdbcUrl: "%s"
                        stateJdbcUser: sluice
                        stateJdbcPassword: "%s"
                      steps:
                        - to: "kafka-change:observe.yaml?brokers=%s"
                """.formatted(stateUrl, SECRET, TestServers.kafka().bootstrapServers())).getBytes())
                .post("/api/links").then().statusCode(201);
        try {
            String body = api().get("/api/links/observe-yaml").then().statusCode(200).extract().asString();
            assertFalse(body.contains(SECRET), "the secret is nowhere in the answer: " + body);
            JsonPath details = JsonPath.from(body);
            assertEquals("mysql-to-kafka", details.getString("kind"));
            String yaml = details.getString("yaml");
            for (String expected : List.of("- route:", "id: observe-yaml", "mysql-binlog:observe-yaml", "dataSource: test-mariadb",
                    "stateJdbcUser: sluice", "kafka-change:observe.yaml", "autoStartup: false")) {
                assertTrue(yaml.contains(expected), "the YAML has '" + expected + "':\n" + yaml);
            }
            assertTrue(yaml.matches("(?s).*stateJdbcPassword: ['\"]?\\*{6}['\"]?\n.*"), "masked:\n" + yaml);
            // it is a route file again: parsed, it is the masked definition the API also answers as a structure
            Object parsed = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                    .loadFromString(yaml);
            assertEquals(List.of(details.getMap("definition")), parsed);
        } finally {
            api().delete("/api/links/observe-yaml").then().statusCode(204);
        }
    }
}
