package io.sluice.link;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.sluice.link.ApiTest.api;
import static io.sluice.link.ApiTest.yaml;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code POST /api/links/check}, the dry run of a definition, against the test kit's Kafka broker and MariaDB: the
 * preview and the precheck of a Kafka -> AnalyticDB definition, the failing item of a binlog definition with a table
 * without a key (a warning naming the Kafka sink's partitioning with tablesWithoutKey=sync), and nothing left behind
 * in the Camel context.
 */
@QuarkusTest
class DefinitionCheckTest {

    @Inject
    CamelContext camel;

    private static final String KAFKA_TO_ADB = """
            - route:
                id: checked-orders
                from:
                  uri: "kafka-json:check.orders?brokers={{kafka.bootstrap.servers}}"
                  steps:
                    - to: "adb:demo.checked_orders?parsedJsonLayers=2&mapping=name=user.name"
            """;

    private Set<String> routeIds() {
        return camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toSet());
    }

    private Set<String> endpointUris() {
        return camel.getEndpoints().stream().map(Endpoint::getEndpointUri).collect(Collectors.toSet());
    }

    @Test
    void aKafkaToAdbDefinitionShowsItsPreviewAndPrecheckAndLeavesNothing() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.checked_orders (id INT PRIMARY KEY, name VARCHAR(40))");
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            for (int id = 1; id <= 3; id++) {
                producer.send(new ProducerRecord<>("check.orders", "{\"id\":" + id + ",\"user\":{\"name\":\"u" + id + "\"}}")).get();
            }
        }
        Set<String> routesBefore = routeIds();
        Set<String> endpointsBefore = endpointUris();

        Response checked = yaml(KAFKA_TO_ADB).post("/api/links/check");
        checked.then().statusCode(200)
                .body("links", contains("checked-orders"))
                .body("yaml", equalTo(KAFKA_TO_ADB))
                .body("precheck.item", contains("destination connection", "destination table", "field mapping"))
                .body("precheck.status", contains("pass", "pass", "pass"))
                .body("preview", hasSize(3))
                .body("preview.row.name", hasItem("u1"))
                .body("preview.row.id*.toString()", hasItems("1", "2", "3"))
                .body("problems", empty());

        // nothing saved, nothing started, nothing left
        api().get("/api/links").then().body("id", not(hasItem("checked-orders")))
                .body("id", not(hasItem(containsString("trial-"))));
        api().get("/api/links/checked-orders").then().statusCode(404);
        assertEquals(routesBefore, routeIds());
        assertEquals(endpointsBefore, endpointUris());
        assertEquals(0, TestServers.queryLong("SELECT COUNT(*) FROM demo.checked_orders"));
        // a second check of the same id works, and so does one beside a link of that id (the edit form)
        yaml(KAFKA_TO_ADB).post("/api/links/check").then().statusCode(200).body("preview", hasSize(3));
        yaml(KAFKA_TO_ADB).post("/api/links").then().statusCode(201);
        yaml(KAFKA_TO_ADB.replace("mapping=name=user.name", "mapping=name=no_such.field")).post("/api/links/check")
                .then().statusCode(200).body("links", contains("checked-orders")).body("preview", hasSize(3))
                .body("preview.row.name", contains(nullValue(), nullValue(), nullValue()));
        api().get("/api/links/checked-orders").then().body("state", equalTo("running"))
                .body("definition.route.from.steps[0].to", containsString("mapping=name=user.name"));
        api().delete("/api/links/checked-orders").then().statusCode(204);
    }

    @Test
    void aBinlogDefinitionWithATableWithoutAKeyShowsTheFailingItemAndItsFix() {
        TestServers.mariaDb().execute("CREATE DATABASE check_cdc; CREATE TABLE check_cdc.keyless (id INT, v VARCHAR(10))");
        String binlog = """
                - route:
                    id: checked-binlog
                    from:
                      uri: "mysql-binlog:checked-binlog"
                      parameters:
                        dataSource: test-mariadb
                        serverId: 7602
                        databases: check_cdc
                        additionalProperties.database.password: "s3cr3t-Pa55"
                      steps:
                        - to: "kafka-change:checked.binlog?brokers={{kafka.bootstrap.servers}}&createTopics=true"
                """;
        Set<String> routesBefore = routeIds();
        Response checked = yaml(binlog).post("/api/links/check");
        checked.then().statusCode(200)
                .body("links", contains("checked-binlog"))
                .body("preview", nullValue())
                .body("precheck.find { it.item == 'primary key' }.status", equalTo("fail"))
                .body("precheck.find { it.item == 'primary key' }.detail", containsString("check_cdc.keyless"))
                .body("precheck.find { it.item == 'primary key' }.fix", containsString("ADD PRIMARY KEY"))
                .body("precheck.find { it.item == 'primary key' }.fix", containsString("tablesWithoutKey=sync"))
                .body("precheck.find { it.item == 'binlog_format' }.status", equalTo("pass"))
                .body("problems", hasItem(containsString("primary key")));
        assertFalse(checked.asString().contains("s3cr3t-Pa55"), "a secret in the answer: " + checked.asString());
        checked.then().body("yaml", containsString("additionalProperties.database.password: ******"));
        List<String> problems = checked.jsonPath().getList("problems");
        assertEquals(1, problems.size(), "only the key is missing: " + problems);
        assertEquals(routesBefore, routeIds());
        api().get("/api/links/checked-binlog").then().statusCode(404);

        // the choice to proceed: a warning, which names what it means for this definition's sink, and no problem
        yaml(binlog.replace("serverId: 7602", "serverId: 7602\n        tablesWithoutKey: sync")
                .replace("createTopics=true", "createTopics=true&partitionPolicy=by-primary-key")).post("/api/links/check")
                .then().statusCode(200)
                .body("precheck.find { it.item == 'primary key' }.status", equalTo("warn"))
                .body("precheck.find { it.item == 'primary key' }.detail", containsString("check_cdc.keyless"))
                .body("precheck.find { it.item == 'primary key' }.detail", containsString("as by-table does"))
                .body("problems", empty());
        assertEquals(routesBefore, routeIds());
    }

    @Test
    void aDefinitionThatCannotBeCreatedIsRefusedWithTheReason() {
        Set<String> routesBefore = routeIds();
        yaml("- route:\n    id: broken\n  from: [\n").post("/api/links/check").then().statusCode(400)
                .body("error", containsString("malformed YAML at line"));
        yaml(KAFKA_TO_ADB.replace("mapping=name=user.name", "mapping=no_such_column=user.name"))
                .post("/api/links/check").then().statusCode(400)
                .body("error", containsString("no_such_column"));
        assertEquals(routesBefore, routeIds());
    }
}
