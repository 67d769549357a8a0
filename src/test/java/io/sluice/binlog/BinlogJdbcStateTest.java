package io.sluice.binlog;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sluice.devservices.EmbeddedMariaDb;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.sluice.testkit.LinkApi.api;
import static io.sluice.binlog.ChangeTopic.awaitReplayEqualsTable;
import static io.sluice.binlog.ChangeTopic.insertRange;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stateStore=jdbc of the mysql-binlog source, against the test kit's MariaDB and Kafka, with the state database on a
 * second MariaDB: positions and schema history survive a restart with the instance's state directory deleted (no second
 * full load, nothing lost, nothing sent twice), two links sharing one state database keep their own positions, and
 * bad state store settings fail the link naming the option and the fix, without showing the password.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogJdbcStateTest {

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    /** Statements on the state database's server. */
    private static void stateSql(String statements) {
        TestServers.stateMariaDb().execute(statements);
    }

    private static String stateUrl(String database) {
        return TestServers.stateMariaDb().jdbcUrl(database);
    }

    private static String jdbcState(String database) {
        return "stateStore=jdbc&stateJdbcUrl=" + stateUrl(database) + "&stateJdbcUser=" + EmbeddedMariaDb.ADMIN_USER
                + "&stateJdbcPassword=" + EmbeddedMariaDb.ADMIN_PASSWORD;
    }

    private static void addLink(String id, String source, String topic) {
        LinkApi.addLink(id, source, "kafka-change:" + topic + "?brokers=" + TestServers.kafka().bootstrapServers()
                + "&createTopics=true&format=canal-json&partitionPolicy=by-primary-key&partitions=2");
    }

    /** Rows of the full load (header sluice.binlog = snapshot; not its CREATE statements). */
    private static long snapshotRows(String topic) {
        return ChangeTopic.readAll(topic).stream().filter(r -> "snapshot".equals(ChangeTopic.header(r, "sluice.binlog")))
                .filter(r -> !Boolean.TRUE.equals(com.alibaba.fastjson2.JSON.parseObject(r.value(),
                        com.alibaba.otter.canal.protocol.FlatMessage.class).getIsDdl()))
                .count();
    }

    /** Binlog positions that arrived more than once. */
    private static Map<String, Integer> sentTwice(String topic) {
        List<ConsumerRecord<byte[], byte[]>> binlog = ChangeTopic.readAll(topic).stream()
                .filter(r -> !"snapshot".equals(ChangeTopic.header(r, "sluice.binlog"))).toList();
        Map<String, Integer> positions = new java.util.HashMap<>(ChangeTopic.positions(binlog));
        positions.values().removeIf(n -> n == 1);
        return positions;
    }

    private static long stateRows(String stateDb, String table, String link) {
        try (java.sql.Connection c = TestServers.stateMariaDb().adminConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + stateDb + "." + table + " WHERE link_id = '" + link + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path linkStateDir(String link) {
        return Path.of(ConfigProvider.getConfig().getValue("sluice.state.dir", String.class), link);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void positionsAndSchemaHistoryInTheStateDatabaseSurviveARestartWithoutTheStateDirectory() throws IOException {
        stateSql("CREATE DATABASE jst_state");
        sql("CREATE DATABASE jst_src; "
                + "CREATE TABLE jst_src.orders (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("jst_src.orders", 0, 100);
        addLink("jst-main", "mysql-binlog:jst-main?dataSource=test-mariadb&serverId=7301&databases=jst_src"
                + "&offsetFlushIntervalMs=200&" + jdbcState("jst_state"), "jst.main");
        awaitReplayEqualsTable("jst.main", "jst_src", "orders");
        assertEquals(100, snapshotRows("jst.main"), "the full load, once");
        api().get("/api/links/jst-main/precheck").then().statusCode(200)
                .body("find { it.item == 'state store' }.status", equalTo("pass"))
                .body("find { it.item == 'state store' }.detail", containsString("jst_state"));

        // binlog changes and a DDL: the schema history must hold the new column for the rows after it
        insertRange("jst_src.orders", 100, 150);
        sql("UPDATE jst_src.orders SET n = n + 1000 WHERE id % 3 = 0; DELETE FROM jst_src.orders WHERE id % 10 = 1; "
                + "ALTER TABLE jst_src.orders ADD COLUMN extra VARCHAR(10) DEFAULT 'x'; "
                + "UPDATE jst_src.orders SET extra = 'y', n = -n WHERE id < 20");
        awaitReplayEqualsTable("jst.main", "jst_src", "orders");
        await().atMost(Duration.ofSeconds(10)).until(() -> stateRows("jst_state", "sluice_binlog_offsets", "jst-main") == 1);
        assertTrue(stateRows("jst_state", "sluice_binlog_schema_history", "jst-main") > 0, "schema history in the state database");
        assertFalse(Files.exists(linkStateDir("jst-main").resolve("offsets.dat")), "no offsets file with stateStore=jdbc");

        // stop, change the table, delete this instance's state directory, start: the link continues from the
        // position in the state database (a file store would do a second full load here)
        api().post("/api/links/jst-main/stop").then().statusCode(200).body("state", equalTo("stopped"));
        insertRange("jst_src.orders", 150, 180);
        sql("UPDATE jst_src.orders SET extra = 'z', v = 'after-stop' WHERE id >= 140; DELETE FROM jst_src.orders WHERE id = 5; "
                + "ALTER TABLE jst_src.orders ADD COLUMN more INT DEFAULT 7; UPDATE jst_src.orders SET n = 4242 WHERE id = 6");
        deleteTree(linkStateDir("jst-main"));
        api().post("/api/links/jst-main/start").then().statusCode(200);
        awaitReplayEqualsTable("jst.main", "jst_src", "orders");
        api().get("/api/links/jst-main").then().body("state", equalTo("running"));
        assertEquals(100, snapshotRows("jst.main"), "no second full load after the restart");
        assertEquals(Map.of(), sentTwice("jst.main"), "no binlog change sent twice after a clean stop");
        api().delete("/api/links/jst-main").then().statusCode(204);
    }

    @Test
    void twoLinksSharingOneStateDatabaseKeepTheirOwnPositions() {
        stateSql("CREATE DATABASE jss_state");
        sql("CREATE DATABASE jss_a; CREATE DATABASE jss_b; "
                + "CREATE TABLE jss_a.t (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "CREATE TABLE jss_b.t (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("jss_a.t", 0, 40);
        insertRange("jss_b.t", 0, 60);
        addLink("jss-a", "mysql-binlog:jss-a?dataSource=test-mariadb&serverId=7302&databases=jss_a"
                + "&offsetFlushIntervalMs=200&" + jdbcState("jss_state"), "jss.a");
        // the second link through the kamelet, its password among the parameters
        String yaml = """
                - route:
                    id: jss-b
                    from:
                      uri: "kamelet:mysql-binlog-source"
                      parameters:
                        name: jss-b
                        dataSource: test-mariadb
                        serverId: 7303
                        databases: jss_b
                        offsetFlushIntervalMs: 200
                        stateStore: jdbc
                        stateJdbcUrl: "%s"
                        stateJdbcUser: "%s"
                        stateJdbcPassword: "%s"
                      steps:
                        - to: "kafka-change:jss.b?brokers=%s&createTopics=true&format=canal-json"
                """.formatted(stateUrl("jss_state"), EmbeddedMariaDb.ADMIN_USER, EmbeddedMariaDb.ADMIN_PASSWORD,
                TestServers.kafka().bootstrapServers());
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        awaitReplayEqualsTable("jss.a", "jss_a", "t");
        awaitReplayEqualsTable("jss.b", "jss_b", "t");
        await().atMost(Duration.ofSeconds(10)).until(() -> stateRows("jss_state", "sluice_binlog_offsets", "jss-a") == 1
                && stateRows("jss_state", "sluice_binlog_offsets", "jss-b") == 1);
        Response details = api().get("/api/links/jss-b");
        details.then().statusCode(200).body("definition.route.from.parameters.stateJdbcPassword", equalTo("******"));
        assertFalse(details.asString().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "the password leaked: " + details.asString());

        // a stopped while b goes on writing its positions (Debezium's own statements would delete a's rows here)
        api().post("/api/links/jss-a/stop").then().statusCode(200).body("state", equalTo("stopped"));
        insertRange("jss_a.t", 40, 70);
        sql("UPDATE jss_a.t SET n = -n WHERE id < 10");
        for (int round = 0; round < 5; round++) {
            sql("UPDATE jss_b.t SET n = n + 1 WHERE id % 2 = " + (round % 2));
            awaitReplayEqualsTable("jss.b", "jss_b", "t");
        }
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true); // b flushes (200 ms)
        assertEquals(1, stateRows("jss_state", "sluice_binlog_offsets", "jss-a"), "b's flushes keep a's position");
        api().post("/api/links/jss-a/start").then().statusCode(200);
        awaitReplayEqualsTable("jss.a", "jss_a", "t");
        assertEquals(40, snapshotRows("jss.a"), "a continued from its own position: no second full load");
        assertEquals(60, snapshotRows("jss.b"));
        assertEquals(Map.of(), sentTwice("jss.a"));
        assertEquals(Map.of(), sentTwice("jss.b"));
        api().delete("/api/links/jss-a").then().statusCode(204);
        api().delete("/api/links/jss-b").then().statusCode(204);
    }

    private static void refused(String id, String options, String... messages) {
        String yaml = """
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s?dataSource=test-mariadb&serverId=7309&%s"
                      steps:
                        - to: "log:x"
                """.formatted(id, id, options);
        var body = api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("link '" + id + "'"));
        for (String m : messages) {
            body.body("error", containsString(m));
        }
    }

    @Test
    void badStateStoreSettingsAreRefusedOrFailTheLinkNamingTheOptionAndTheFix() {
        refused("jsb-no-url", "stateStore=jdbc", "stateStore=jdbc needs stateJdbcUrl", "stateStore=file");
        refused("jsb-unknown", "stateStore=redis", "stateStore 'redis' is not file or jdbc");
        refused("jsb-postgres", "stateStore=jdbc&stateJdbcUrl=jdbc:postgresql://127.0.0.1/x",
                "stateJdbcUrl must be a MySQL or MariaDB database");
        refused("jsb-url-without-jdbc", "stateJdbcUrl=" + stateUrl("x"), "used only with stateStore=jdbc");

        // reachable server, wrong password: the precheck item names the options; the start fails with it
        String wrong = "Wr0ng-pw-4-state";
        sql("CREATE DATABASE jsb_src; CREATE TABLE jsb_src.t (id INT PRIMARY KEY)");
        String yaml = """
                - route:
                    id: jsb-wrong
                    autoStartup: false
                    from:
                      uri: "mysql-binlog:jsb-wrong?dataSource=test-mariadb&serverId=7310&databases=jsb_src&stateStore=jdbc&stateJdbcUrl=%s&stateJdbcUser=%s&stateJdbcPassword=%s"
                      steps:
                        - to: "log:x"
                """.formatted(stateUrl("jsb_state"), EmbeddedMariaDb.ADMIN_USER, wrong);
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        Response precheck = api().get("/api/links/jsb-wrong/precheck");
        precheck.then().statusCode(200)
                .body("find { it.item == 'source connection' }.status", equalTo("pass"))
                .body("find { it.item == 'state store' }.status", equalTo("fail"))
                .body("find { it.item == 'state store' }.detail", containsString("stateJdbcUrl"))
                .body("find { it.item == 'state store' }.detail", containsString("Access denied"))
                .body("find { it.item == 'state store' }.fix", containsString("stateJdbcPassword"));
        assertFalse(precheck.asString().contains(wrong), precheck.asString());
        api().post("/api/links/jsb-wrong/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/jsb-wrong").then()
                .body("state", equalTo("failed"))
                .body("lastError", containsString("jsb-wrong"))
                .body("lastError", containsString("[state store]"))
                .body("lastError", containsString("stateJdbcUrl")));
        assertFalse(api().get("/api/links/jsb-wrong").asString().contains(wrong), "the password leaked");
        api().delete("/api/links/jsb-wrong").then().statusCode(204);

        // the state database on the link's source server: the full load would wait for itself (global read lock)
        sql("CREATE DATABASE jsb_state_on_source");
        addLink("jsb-same", "mysql-binlog:jsb-same?dataSource=test-mariadb&serverId=7312&databases=jsb_src&stateStore=jdbc"
                + "&stateJdbcUrl=" + TestServers.mariaDb().jdbcUrl("jsb_state_on_source") + "&stateJdbcUser="
                + EmbeddedMariaDb.ADMIN_USER + "&stateJdbcPassword=" + EmbeddedMariaDb.ADMIN_PASSWORD, "jsb.same");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/jsb-same").then()
                .body("state", equalTo("failed"))
                .body("lastError", containsString("is on the link's source server"))
                .body("lastError", containsString("put the state database on another MySQL/MariaDB server")));
        api().delete("/api/links/jsb-same").then().statusCode(204);

        // an unreachable state database: a server that does not answer may come back, so the link is retrying (not
        // failed, which is for what needs a fix), its start retried with backoff
        addLink("jsb-down", "mysql-binlog:jsb-down?dataSource=test-mariadb&serverId=7311&databases=jsb_src"
                + "&stateStore=jdbc&stateJdbcUrl=jdbc:mariadb://127.0.0.1:1/jsb_state", "jsb.down");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/jsb-down").then()
                .body("state", equalTo("retrying"))
                .body("lastError", containsString("[state store] the state database jdbc:mariadb://127.0.0.1:1/jsb_state"))
                .body("lastError", containsString("does not answer")));
        api().get("/api/links/jsb-down/precheck").then()
                .body("find { it.item == 'state store' }.status", equalTo("unreachable"));
        api().delete("/api/links/jsb-down").then().statusCode(204);
    }
}
