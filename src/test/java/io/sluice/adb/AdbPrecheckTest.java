package io.sluice.adb;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;

import java.util.List;
import java.util.Map;

import static io.sluice.testkit.LinkApi.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The precheck of the AnalyticDB sink ({@code GET /api/links/{id}/precheck}) against the test kit's real MariaDB: a
 * good destination passes every item; a password changed on the server, a server that does not answer, a dropped table
 * and a dropped mapped column each fail their item with the reason and the fix, and the password is never shown. The
 * links are added without starting ({@code autoStartup: false}); adding one already refuses a destination that fails
 * (its writer reads the table when the route is added), so each destination breaks after the link was added.
 */
@QuarkusTest
class AdbPrecheckTest {

    @Inject
    CamelContext camel;

    @AfterEach
    void restore() {
        TestServers.mariaDbProxy().restore();
    }

    @Test
    void aGoodDestinationPassesEveryItem() {
        TestServers.mariaDb().execute("CREATE TABLE IF NOT EXISTS demo.precheck_ok (id INT PRIMARY KEY, user_name VARCHAR(20))");
        addStopped("precheck-ok", "adb:demo.precheck_ok?mapping=user_name=user.name");
        List<Map<String, Object>> items = precheck("precheck-ok");
        assertEquals(List.of("destination connection", "destination table", "field mapping"), names(items), items.toString());
        items.forEach(i -> assertEquals("pass", i.get("status"), items.toString()));
        assertTrue(String.valueOf(items.get(1).get("detail")).contains("user_name"), items.toString());
        api().delete("/api/links/precheck-ok").then().statusCode(204);
    }

    @Test
    void aRefusedPasswordFailsTheConnectionWithTheFixAndWithoutThePassword() throws Exception {
        TestServers.mariaDb().execute("CREATE USER 'precheck_user'@'%' IDENTIFIED BY 'precheck-pw'; "
                + "GRANT SELECT, INSERT, UPDATE ON demo.* TO 'precheck_user'@'%'; "
                + "CREATE TABLE IF NOT EXISTS demo.precheck_pw (id INT PRIMARY KEY, v VARCHAR(20))");
        // a data source of the link's own (a DataSource bean), whose password is then changed on the server
        camel.getRegistry().bind("precheck-account", DataSource.class, new MariaDbDataSource("jdbc:mariadb://127.0.0.1:"
                + TestServers.mariaDb().port() + "/demo?user=precheck_user&password=precheck-pw"));
        addStopped("precheck-password", "adb:demo.precheck_pw?dataSource=precheck-account");
        assertEquals("pass", precheck("precheck-password").get(0).get("status"));

        TestServers.mariaDb().execute("ALTER USER 'precheck_user'@'%' IDENTIFIED BY 'changed-elsewhere'");
        List<Map<String, Object>> items = precheck("precheck-password");
        assertEquals(List.of("destination connection"), names(items), items.toString());
        Map<String, Object> item = items.get(0);
        assertEquals("fail", item.get("status"), items.toString());
        assertTrue(String.valueOf(item.get("detail")).contains("ccess denied"), items.toString());
        assertTrue(String.valueOf(item.get("detail")).contains("precheck-account"), "names the data source: " + items);
        assertTrue(String.valueOf(item.get("fix")).contains("account and password"), items.toString());
        assertFalse(items.toString().contains("precheck-pw") || items.toString().contains("changed-elsewhere"),
                items.toString());
        api().delete("/api/links/precheck-password").then().statusCode(204);
    }

    @Test
    void aServerThatDoesNotAnswerIsUnreachableNotFailed() {
        addStopped("precheck-down", "adb:demo.events?dataSource=flaky");
        TestServers.mariaDbProxy().cut();
        List<Map<String, Object>> items = precheck("precheck-down");
        assertEquals(List.of("destination connection"), names(items), items.toString());
        assertEquals("unreachable", items.get(0).get("status"), items.toString());
        assertNotNull(items.get(0).get("fix"), items.toString());
        api().delete("/api/links/precheck-down").then().statusCode(204);
    }

    @Test
    void aMissingTableFailsTheTableItem() {
        TestServers.mariaDb().execute("CREATE TABLE demo.precheck_gone (id INT PRIMARY KEY, v VARCHAR(20))");
        addStopped("precheck-table", "adb:demo.precheck_gone");
        TestServers.mariaDb().execute("DROP TABLE demo.precheck_gone");
        List<Map<String, Object>> items = precheck("precheck-table");
        assertEquals(List.of("destination connection", "destination table"), names(items), items.toString());
        assertEquals("pass", items.get(0).get("status"), items.toString());
        Map<String, Object> table = items.get(1);
        assertEquals("fail", table.get("status"), items.toString());
        assertTrue(String.valueOf(table.get("detail")).contains("demo.precheck_gone does not exist"), items.toString());
        assertTrue(String.valueOf(table.get("fix")).contains("create it"), items.toString());
        api().delete("/api/links/precheck-table").then().statusCode(204);
    }

    @Test
    void aMappingToAColumnTheTableNoLongerHasFailsTheMappingItem() {
        TestServers.mariaDb().execute("CREATE TABLE demo.precheck_map (id INT PRIMARY KEY, v VARCHAR(20), gone INT)");
        addStopped("precheck-map", "adb:demo.precheck_map?mapping=gone=a.b");
        TestServers.mariaDb().execute("ALTER TABLE demo.precheck_map DROP COLUMN gone");
        List<Map<String, Object>> items = precheck("precheck-map");
        assertEquals(List.of("destination connection", "destination table", "field mapping"), names(items), items.toString());
        assertEquals("pass", items.get(1).get("status"), items.toString());
        Map<String, Object> mapping = items.get(2);
        assertEquals("fail", mapping.get("status"), items.toString());
        assertTrue(String.valueOf(mapping.get("detail")).contains("gone"), items.toString());
        assertNotNull(mapping.get("fix"), items.toString());
        api().delete("/api/links/precheck-map").then().statusCode(204);
    }

    /** Adds a Kafka JSON -> AnalyticDB link without starting it. */
    private static void addStopped(String id, String sink) {
        String yaml = """
                - route:
                    id: %s
                    autoStartup: false
                    from:
                      uri: "kafka-json:%s"
                      parameters:
                        dataSource: test-cluster
                      steps:
                        - to: "%s"
                """.formatted(id, id, sink);
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
    }

    private static List<Map<String, Object>> precheck(String id) {
        JsonPath body = api().get("/api/links/" + id + "/precheck").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = body.getList("$");
        System.out.println("[precheck] " + id + ": " + items);
        return items;
    }

    private static List<Object> names(List<Map<String, Object>> items) {
        return items.stream().map(i -> i.get("item")).toList();
    }
}
