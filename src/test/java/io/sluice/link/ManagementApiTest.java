package io.sluice.link;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sluice.link.ApiTest.api;
import static io.sluice.link.ApiTest.yaml;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The management API: authentication, adding links at runtime, errors, secret masking, health and metrics. */
@QuarkusTest
class ManagementApiTest {

    private static final String TICK = """
            - route:
                id: tick
                description: "a link added at runtime"
                from:
                  uri: "timer:tick?period=100"
                  steps:
                    - to: "log:tick?level=DEBUG"
            """;

    @Test
    void everyApiRequestNeedsTheToken() {
        RestAssured.get("/api/links").then().statusCode(401).body("error", containsString("Authorization"));
        RestAssured.given().header("Authorization", "Bearer wrong").get("/api/links").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer wrong").post("/api/links/example-orders/stop")
                .then().statusCode(401);
        api().get("/api/links").then().statusCode(200);
    }

    @Test
    void addsStartsStopsAndDeletesALinkAtRuntime() {
        yaml(TICK).post("/api/links").then().statusCode(201).body("[0].id", equalTo("tick"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api().get("/api/links/tick").then().extract().jsonPath().getLong("recordsOut") > 3);
        api().get("/api/links").then().body("id", hasItem("tick"));
        yaml(TICK).post("/api/links").then().statusCode(409).body("error", containsString("already exists"));
        api().post("/api/links/tick/resume").then().statusCode(409).body("error", containsString("only a paused link"));
        api().post("/api/links/tick/pause").then().statusCode(200).body("state", equalTo("paused"));
        long paused = api().get("/api/links/tick").then().extract().jsonPath().getLong("recordsOut");
        sleep(500);
        assertTrue(api().get("/api/links/tick").then().extract().jsonPath().getLong("recordsOut") <= paused + 1);
        api().post("/api/links/tick/resume").then().statusCode(200).body("state", equalTo("running"));
        api().delete("/api/links/tick").then().statusCode(204);
        api().get("/api/links/tick").then().statusCode(404).body("error", containsString("no link with id 'tick'"));
        api().post("/api/links/tick/start").then().statusCode(404);
    }

    @Test
    void malformedLinksAreRefusedWithTheLineAndChangeNothing() {
        yaml("- route:\n    id: broken\n  from: [\n").post("/api/links").then().statusCode(400)
                .body("error", containsString("malformed YAML at line"));
        yaml("""
                - route:
                    id: typo
                    from:
                      uri: "timer:t"
                      parameters:
                        period: 1000
                        perod: 5
                      steps:
                        - to: "log:t"
                """).post("/api/links").then().statusCode(400)
                .body("error", containsString("line 7"))
                .body("error", containsString("unknown option 'perod'"));
        yaml("""
                - route:
                    id: nosuch
                    from:
                      uri: "nosuchcomponent:x"
                      steps:
                        - to: "log:t"
                """).post("/api/links").then().statusCode(400)
                .body("error", containsString("line 4"))
                .body("error", containsString("nosuchcomponent"));
        yaml("""
                - route:
                    id: badfield
                    frm:
                      uri: "timer:t"
                """).post("/api/links").then().statusCode(400).body("error", containsString("line"));
        api().get("/api/links").then().body("id", not(hasItem("typo"))).body("id", not(hasItem("nosuch")))
                .body("id", not(hasItem("badfield")));
    }

    @Test
    void secretsAreMaskedInDefinitionsAndListings() {
        String secret = "s3cr3t-Pa55";
        yaml("""
                - route:
                    id: secretive
                    autoStartup: false
                    from:
                      uri: "timer:s?period=60000"
                      steps:
                        - to:
                            uri: "kafka:secret-topic"
                            parameters:
                              brokers: "127.0.0.1:1"
                              saslJaasConfig: "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"u\\" password=\\"%s\\";"
                              sslKeystorePassword: "%s"
                """.formatted(secret, secret)).post("/api/links").then().statusCode(201);
        Response details = api().get("/api/links/secretive");
        details.then().statusCode(200).body("state", equalTo("stopped"))
                .body("definition.route.from.steps[0].to.parameters.sslKeystorePassword", equalTo("******"));
        assertFalse(details.asString().contains(secret), "a secret leaked: " + details.asString());
        assertFalse(api().get("/api/links").asString().contains(secret));
        api().delete("/api/links/secretive").then().statusCode(204);
    }

    @Test
    void readinessReportsALinkWhoseServerIsDownAndTheAppStaysUp() {
        yaml("""
                - route:
                    id: db-down
                    from:
                      uri: "timer:down?period=300"
                      steps:
                        - setBody:
                            constant: "SELECT 1"
                        - to: "jdbc:unreachableDb"
                """).post("/api/links").then().statusCode(201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "retrying".equals(api().get("/api/links/db-down").then().extract().jsonPath().getString("state")));
        api().get("/api/links/db-down").then().body("lastError", not(equalTo(null)));
        RestAssured.get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'links' }.data.'db-down'", containsString("retrying"));
        RestAssured.get("/q/health/live").then().statusCode(200);
        api().get("/api/links").then().statusCode(200).body("find { it.id == 'example-orders' }.state", not(equalTo("failed")));
        api().delete("/api/links/db-down").then().statusCode(204);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'links' }.data.'example-orders'", equalTo("running"));
    }

    @Test
    void prometheusShowsPerLinkCounters() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("sluice_link_records_in_total{link=\"example-orders\"}"), metrics);
        assertTrue(metrics.contains("sluice_link_records_out_total{link=\"example-orders\"}"));
        assertTrue(metrics.contains("sluice_link_records_failed_total{link=\"example-orders\"}"));
        assertTrue(metrics.contains("sluice_link_records_dirty_total{link=\"example-orders\"}"));
        assertTrue(metrics.contains("sluice_link_lag_seconds{link=\"example-orders\"}"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
