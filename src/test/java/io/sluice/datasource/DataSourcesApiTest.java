package io.sluice.datasource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import io.sluice.testkit.TlsCertificates;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sluice.testkit.LinkApi.api;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data sources API against the test kit's servers: the list without secrets, connection tests, objects, columns. */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class DataSourcesApiTest {

    @Test
    void theListShowsEveryDeclaredDataSourceAndNoSecret() {
        String body = api().get("/api/data-sources").then().statusCode(200).extract().asString();
        for (String secret : List.of("sluice-demo-pw", "not-the-password", "rotating-pw", DemoSls.ACCESS_KEY_SECRET,
                TestServers.MAXCOMPUTE_ACCESS_KEY, "sluice-tls-pw", TlsCertificates.TRUST_STORE_PASSWORD, "******")) {
            assertFalse(body.contains(secret), "'" + secret + "' is not in the answer: " + body);
        }
        List<Map<String, Object>> sources = JsonPath.from(body).getList("");
        List<String> names = sources.stream().map(s -> s.get("kind") + "/" + s.get("name")).toList();
        for (String expected : List.of("jdbc/default", "jdbc/flaky", "jdbc/wrong-password", "mysql/test-mariadb",
                "mysql/demo", "kafka/default", "kafka/test-cluster", "kafka/dead-cluster", "sls/demo", "maxcompute/demo")) {
            assertTrue(names.contains(expected), expected + " is listed: " + names);
        }
        Map<String, Object> mysql = sources.stream().filter(s -> s.get("name").equals("test-mariadb")).findFirst().orElseThrow();
        assertEquals("127.0.0.1:" + TestServers.mariaDb().port(), mysql.get("endpoint"));
        assertEquals("sluice", mysql.get("account"));
        Map<String, Object> sls = sources.stream().filter(s -> s.get("kind").equals("sls")).findFirst().orElseThrow();
        assertEquals(DemoSls.ACCESS_KEY_ID, sls.get("account"));
        assertEquals(TestServers.kafka().bootstrapServers(),
                sources.stream().filter(s -> s.get("name").equals("test-cluster")).findFirst().orElseThrow().get("endpoint"));
    }

    @Test
    void aGoodDataSourceTestsOkAndAWrongPasswordNamesTheFix() {
        for (String good : List.of("jdbc/default", "mysql/test-mariadb", "kafka/default", "kafka/test-cluster",
                "sls/demo", "maxcompute/demo")) {
            JsonPath r = api().post("/api/data-sources/" + good + "/test").then().statusCode(200).extract().jsonPath();
            assertTrue(r.getBoolean("ok"), good + ": " + r.getString("message"));
            assertTrue(r.getLong("millis") >= 0);
        }
        JsonPath wrong = api().post("/api/data-sources/jdbc/wrong-password/test").then().statusCode(200).extract().jsonPath();
        assertFalse(wrong.getBoolean("ok"));
        String message = wrong.getString("message");
        assertTrue(message.contains("access denied") && message.contains("check the account and password")
                && message.contains("sluice.jdbc.wrong-password.url, .username, .password"), message);
        assertFalse(message.contains("not-the-password"), message);

        JsonPath dead = api().post("/api/data-sources/kafka/dead-cluster/test").then().statusCode(200).extract().jsonPath();
        assertFalse(dead.getBoolean("ok"));
        assertTrue(dead.getString("message").contains("check sluice.kafka.dead-cluster.bootstrap-servers"),
                dead.getString("message"));

        api().post("/api/data-sources/jdbc/no-such-source/test").then().statusCode(404)
                .body("error", containsString("no JDBC data source named 'no-such-source'"));
        api().post("/api/data-sources/oracle/x/test").then().statusCode(404)
                .body("error", containsString("no data source kind 'oracle'"));
    }

    @Test
    void objectsOfTheMySqlSourceAndColumnsOfADestinationTable() {
        TestServers.mariaDb().execute("CREATE DATABASE IF NOT EXISTS ds_objects; "
                + "CREATE TABLE IF NOT EXISTS ds_objects.keyed (id BIGINT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2)); "
                + "CREATE TABLE IF NOT EXISTS ds_objects.keyless (v INT, note TEXT)");
        List<Map<String, Object>> objects = api().get("/api/data-sources/mysql/test-mariadb/objects").then().statusCode(200)
                .extract().jsonPath().getList("");
        assertTrue(objects.stream().noneMatch(d -> List.of("mysql", "information_schema", "performance_schema", "sys")
                .contains(d.get("database"))), "no system schema: " + objects);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tables = (List<Map<String, Object>>) objects.stream()
                .filter(d -> d.get("database").equals("ds_objects")).findFirst().orElseThrow().get("tables");
        assertEquals(List.of("keyed", "keyless"), tables.stream().map(t -> t.get("name")).toList());
        assertEquals(List.of(true, false), tables.stream().map(t -> t.get("hasPrimaryKey")).toList());
        assertTrue(tables.stream().allMatch(t -> t.get("rows") instanceof Number), tables.toString());

        List<Map<String, Object>> columns = api().queryParam("table", "ds_objects.keyed")
                .get("/api/data-sources/jdbc/default/columns").then().statusCode(200).extract().jsonPath().getList("");
        assertEquals(List.of(Map.of("name", "id", "type", "BIGINT"), Map.of("name", "name", "type", "VARCHAR(20)"),
                Map.of("name", "amount", "type", "DECIMAL(10,2)")), columns);
        api().queryParam("table", "ds_objects.nothing").get("/api/data-sources/jdbc/default/columns").then().statusCode(404)
                .body("error", containsString("ds_objects.nothing does not exist"));
        api().get("/api/data-sources/jdbc/default/columns").then().statusCode(400);
        api().get("/api/data-sources/mysql/no-such-source/objects").then().statusCode(404);
    }
}
