package io.sluice.state;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.link.LinkDefinitions;
import io.sluice.maxcompute.McTables;
import io.sluice.sls.SlsToAdbLinkTest;
import io.sluice.testkit.LinkRestart;
import io.sluice.testkit.SharedStateDatabase;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sluice.state.store=jdbc}, the test kit's second MariaDB as the shared state database: an SLS -> AnalyticDB
 * link's checkpoint, a MySQL -> MaxCompute link's sink state and binlog positions, and the user's pause or stop are
 * rows there, none a file of this instance; a link started again with its local state directory gone continues from
 * the shared rows without loss or doubling; a link paused comes up paused when its definition is added again (as at
 * a restart or a takeover) and resume continues where it paused; deleting a link removes its rows.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
@QuarkusTestResource(value = SharedStateDatabase.class, restrictToAnnotatedClass = true)
class SharedStateStoreTest {

    private static final String TABLE = """
            CREATE TABLE IF NOT EXISTS demo.%s (
              request_id VARCHAR(64) NOT NULL PRIMARY KEY,
              log_time DATETIME NOT NULL,
              topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, amount DECIMAL(12,2))""";

    @Inject
    CamelContext camel;

    @Inject
    LinkDefinitions definitions;

    @Inject
    LinkStatsRegistry stats;

    private static Path stateDir() {
        return Path.of(ConfigProvider.getConfig().getValue("sluice.state.dir", String.class));
    }

    /** The files of this instance's state directory that belong to {@code link}. */
    private static List<Path> localFiles(String link) throws IOException {
        if (!Files.isDirectory(stateDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(stateDir())) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> stateDir().relativize(f).toString().startsWith(link)).toList();
        }
    }

    private static long rows(String table) {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo." + table);
    }

    private static void awaitRows(String table, long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> rows(table) >= n);
    }

    private static long recordsIn(String link) {
        return api().get("/api/links/" + link).then().extract().jsonPath().getLong("recordsIn");
    }

    @Test
    void slsCheckpointIsARowAndAStartWithoutLocalStateContinuesFromIt() throws Exception {
        TestServers.sls().createLogstore(DemoSls.PROJECT, "ss-events", 2);
        TestServers.mariaDb().execute(TABLE.formatted("ss_sls"));
        String link = "ss-sls";
        SlsToAdbLinkTest.put(TestServers.slsClient(), "ss-events", 0, 300);
        api().contentType("application/yaml").body(SlsToAdbLinkTest.route(link, "ss-events", "ss_sls", "").getBytes())
                .post("/api/links").then().statusCode(201);
        try {
            awaitRows("ss_sls", 300);
            await().atMost(Duration.ofSeconds(10)).until(() -> SharedStateDatabase.document(link + "/sls.checkpoint") != null);
            assertTrue(SharedStateDatabase.document(link + "/sls.checkpoint").contains("\"parts\""));
            assertEquals(List.of(), localFiles(link), "no local state with sluice.state.store=jdbc");
            api().get("/api/links/" + link + "/precheck").then().statusCode(200)
                    .body("find { it.item == 'state store' }.status", equalTo("pass"));

            // stop and start with nothing of the link in this instance's state directory: it continues from the shared checkpoint
            api().post("/api/links/" + link + "/stop").then().statusCode(200).body("state", equalTo("stopped"));
            assertEquals("stopped", SharedStateDatabase.document(link + "/run-state"), "the user's stop is recorded");
            SlsToAdbLinkTest.put(TestServers.slsClient(), "ss-events", 300, 600);
            assertEquals(List.of(), localFiles(link), "nothing of the link in this instance's state directory");
            api().post("/api/links/" + link + "/start").then().statusCode(200);
            assertNull(SharedStateDatabase.document(link + "/run-state"), "start clears the recorded stop");
            awaitRows("ss_sls", 600);
            Thread.sleep(1_000);
            assertEquals(600, rows("ss_sls"), "nothing lost");
            assertEquals(600, recordsIn(link), "nothing read twice: the start continued from the shared checkpoint");
        } finally {
            api().delete("/api/links/" + link).then().statusCode(204);
        }
        assertEquals(0, SharedStateDatabase.rowsOfLink(link), "deleting the link removes its rows");
    }

    @Test
    void aPausedLinkComesUpPausedAndResumeContinuesWhereItPaused() throws Exception {
        TestServers.sls().createLogstore(DemoSls.PROJECT, "ss-pause", 1);
        TestServers.mariaDb().execute(TABLE.formatted("ss_pause"));
        String link = "ss-pause";
        String yaml = SlsToAdbLinkTest.route(link, "ss-pause", "ss_pause", "");
        SlsToAdbLinkTest.put(TestServers.slsClient(), "ss-pause", 0, 100);
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        try {
            awaitRows("ss_pause", 100);
            api().post("/api/links/" + link + "/pause").then().statusCode(200).body("state", equalTo("paused"));
            assertEquals("paused", SharedStateDatabase.document(link + "/run-state"));

            // as after a restart of Sluice or a takeover: the definition is added again, the link comes up paused
            LinkRestart.restart(camel, definitions, stats, link, yaml);
            SlsToAdbLinkTest.put(TestServers.slsClient(), "ss-pause", 100, 200);
            Thread.sleep(1_500);
            api().get("/api/links/" + link).then().body("state", equalTo("paused"));
            assertEquals(100, rows("ss_pause"), "a paused link reads nothing after the restart");

            api().post("/api/links/" + link + "/resume").then().statusCode(200);
            assertNull(SharedStateDatabase.document(link + "/run-state"), "resume clears the recorded pause");
            awaitRows("ss_pause", 200);
            Thread.sleep(1_000);
            assertEquals(200, rows("ss_pause"));
            assertEquals(100, recordsIn(link), "resumed where it paused: only the logs written since");

            // a stopped link comes up stopped
            api().post("/api/links/" + link + "/stop").then().statusCode(200);
            LinkRestart.restart(camel, definitions, stats, link, yaml);
            api().get("/api/links/" + link).then().body("state", equalTo("stopped"));
        } finally {
            api().delete("/api/links/" + link).then().statusCode(204);
        }
        assertEquals(0, SharedStateDatabase.rowsOfLink(link), "deleting the link removes its rows");
    }

    @Test
    void maxComputeSinkStateAndBinlogPositionsAreRowsAndAStartWithoutLocalStateContinues() throws Exception {
        TestServers.mariaDb().execute("CREATE DATABASE ss_mc; CREATE TABLE ss_mc.ss_orders (id INT PRIMARY KEY, v INT); "
                + "INSERT INTO ss_mc.ss_orders VALUES (1, 10), (2, 20), (3, 30)");
        String link = "ss-mc";
        String yaml = """
                - route:
                    id: ss-mc
                    from:
                      uri: "mysql-binlog:ss-mc"
                      parameters:
                        dataSource: test-mariadb
                        serverId: 7391
                        databases: ss_mc
                        offsetFlushIntervalMs: 200
                      steps:
                        - to: "maxcompute:ss?dataSource=demo"
                """;
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> McTables.read("ss_orders_base", null).size() == 3); // the full load, then changes
            TestServers.mariaDb().execute("INSERT INTO ss_mc.ss_orders VALUES (4, 40); UPDATE ss_mc.ss_orders SET v = 11 WHERE id = 1");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> McTables.log("ss_orders_log", "id", "v").size() == 3);
            String sinkState = SharedStateDatabase.document(link + "/maxcompute.state");
            assertNotNull(sinkState, "the MaxCompute sink's state is a row of the shared store");
            assertTrue(sinkState.contains("created ss_orders_base"), sinkState);
            await().atMost(Duration.ofSeconds(10)).until(() -> SharedStateDatabase.rows("sluice_binlog_offsets", link) == 1);
            assertTrue(SharedStateDatabase.rows("sluice_binlog_schema_history", link) > 0);
            assertEquals(List.of(), localFiles(link), "no local state with sluice.state.store=jdbc");

            // stop, change rows, start with nothing local: the changes arrive once (a second full load would not log them)
            api().post("/api/links/" + link + "/stop").then().statusCode(200);
            TestServers.mariaDb().execute("INSERT INTO ss_mc.ss_orders VALUES (5, 50); DELETE FROM ss_mc.ss_orders WHERE id = 2");
            assertEquals(List.of(), localFiles(link), "nothing of the link in this instance's state directory");
            api().post("/api/links/" + link + "/start").then().statusCode(200);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> McTables.log("ss_orders_log", "id", "v").size() >= 5);
            Thread.sleep(2_000);
            assertEquals(List.of(
                    "I NY 4 40",
                    "U YN 1 10",
                    "U NY 1 11",
                    "I NY 5 50",
                    "D YN 2 20"), McTables.log("ss_orders_log", "id", "v"), "each change once, none lost");
            api().get("/api/links/" + link).then().body("state", equalTo("running"));
            assertEquals(List.of(), localFiles(link), "still no local state");
        } finally {
            api().delete("/api/links/" + link).then().statusCode(204);
        }
        assertEquals(0, SharedStateDatabase.rowsOfLink(link), "deleting the link removes its rows");
    }
}
