package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.LogItem;
import com.aliyun.openservices.log.common.TagContent;
import com.aliyun.openservices.log.request.PutLogsRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SLS -> AnalyticDB link against the local SLS server (reached by the real SDK through its HTTP proxy setting)
 * and the real MariaDB: several shards, data before and after the start time, a split and a merge during the run, pause/resume,
 * stop/start, a crash between the sink's commit and the checkpoint, and the error cases.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
public class SlsToAdbLinkTest {

    private static final String TABLE = """
            CREATE TABLE IF NOT EXISTS demo.%s (
              request_id VARCHAR(64) NOT NULL PRIMARY KEY,
              log_time DATETIME NOT NULL,
              topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, amount DECIMAL(12,2))""";

    /** Creates demo.{@code table}, the table the SLS test logs are written to (request_id the key). */
    public static void createTable(String table) {
        TestServers.mariaDb().execute(TABLE.formatted(table));
    }

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    /**
     * An SLS -> AnalyticDB link from {@code logstore} of data source demo into demo.{@code table}; {@code extra}: one more
     * source parameter line.
     */
    public static String route(String id, String logstore, String table, String extra) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "sls:%s"
                      parameters:
                        dataSource: demo
                        batchSize: 20
                        pollIntervalMs: 200
                        shardRefreshMs: 500
                        retryBackoffMs: 200
                        %s
                      steps:
                        - to:
                            uri: "adb:demo.%s"
                            parameters:
                              mapping: "log_time=__time__,topic=__topic__,source_ip=__source__,env=__tag__:env"
                              unixTimestampUnit: seconds
                """.formatted(id, logstore, extra, table);
    }

    @Test
    void movesExactlyWhatWasWrittenAfterTheStartTimeAcrossSplitPauseRestartAndCrash() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "it-events", 3);
        createTable("sls_it");
        Client client = TestServers.slsClient();
        String link = "sls-it";

        put(client, "it-events", 0, 500);                  // before the start time: must not arrive
        long startTime = sls.nowMillis() + 1_800_000;        // half an hour later on the server's clock
        sls.shiftClock(3_600_000);
        put(client, "it-events", 500, 2_000);                // after it
        api().contentType("application/yaml").body(route(link, "it-events", "sls_it", "startTime: \"" + startTime + "\"").getBytes())
                .post("/api/links").then().statusCode(201);
        try {
            awaitRows("sls_it", 1_500);

            // a split and a merge during the run: shard 1 splits into 3 and 4, then 0 and 3 merge into 5; the
            // read-only parents are drained, the children picked up after them
            sls.split(DemoSls.PROJECT, "it-events", 1);
            sls.merge(DemoSls.PROJECT, "it-events", 0);
            put(client, "it-events", 2_000, 3_000);
            awaitRows("sls_it", 2_500);
            api().get("/api/links/" + link).then()
                    .body("runLog.message", org.hamcrest.Matchers.hasItem(containsString("read-only shard 1 ")))
                    .body("runLog.message", org.hamcrest.Matchers.hasItem(containsString("read-only shard 0 ")))
                    .body("runLog.message", org.hamcrest.Matchers.hasItem(containsString("read-only shard 3 ")));

            // pause: nothing arrives; resume continues where it paused
            api().post("/api/links/" + link + "/pause").then().statusCode(200).body("state", equalTo("paused"));
            put(client, "it-events", 3_000, 3_500);
            Thread.sleep(1_500);
            assertEquals(2_500, rows("sls_it"), "nothing arrives while paused");
            api().post("/api/links/" + link + "/resume").then().statusCode(200);
            awaitRows("sls_it", 3_000);

            // stop and start: continues from the checkpoint
            api().post("/api/links/" + link + "/stop").then().statusCode(200);
            put(client, "it-events", 3_500, 4_000);
            api().post("/api/links/" + link + "/start").then().statusCode(200);
            awaitRows("sls_it", 3_500);

            // kill -9 between the sink's commit and the checkpoint write: the rows are in the table, the checkpoint is
            // the one from before them. The restart reads them again; the upsert on the key makes that harmless.
            Path checkpoint = checkpointFile(link);
            byte[] before = Files.readAllBytes(checkpoint);
            put(client, "it-events", 4_000, 4_500);
            awaitRows("sls_it", 4_000);
            api().post("/api/links/" + link + "/stop").then().statusCode(200);
            Files.write(checkpoint, before);
            api().post("/api/links/" + link + "/start").then().statusCode(200);
            put(client, "it-events", 4_500, 5_000);
            awaitRows("sls_it", 4_500);
            Thread.sleep(1_000);

            assertEquals(4_500, rows("sls_it"), "exactly the logs written after the start time, none twice");
            assertEquals(0, TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_it WHERE seq < 500"));
            assertEquals(4_500, TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_it WHERE request_id = CONCAT('r-', seq) "
                    + "AND topic = 'it-topic' AND source_ip = '10.1.2.3' AND env = 'test' AND amount = seq + 0.25 "
                    + "AND log_time = FROM_UNIXTIME(1710604800 + seq)"));
            assertTrue(api().get("/api/links/" + link).then().extract().jsonPath().getLong("recordsIn") >= 4_500);

            // preview: the newest 10 logs, as the rows they would become, without moving the position
            byte[] position = Files.readAllBytes(checkpoint);
            api().get("/api/links/" + link + "/preview").then().statusCode(200).body("$", hasSize(10))
                    .body("[0].row.request_id", equalTo("r-4999"))
                    .body("[0].row.env", equalTo("test"));
            assertEquals(new String(position), new String(Files.readAllBytes(checkpoint)), "preview moves no position");
        } finally {
            api().delete("/api/links/" + link);
        }
    }

    @Test
    void theShippedExampleLinkMovesTheDemoLogstore() throws Exception {
        Client client = TestServers.slsClient();
        List<LogItem> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LogItem item = new LogItem(1710604800 + i);
            item.PushBack("request_id", "example-" + i);
            item.PushBack("path", "/p" + i);
            item.PushBack("status", "200");
            item.PushBack("latency_ms", "12.5");
            items.add(item);
        }
        PutLogsRequest request = new PutLogsRequest(DemoSls.PROJECT, DemoSls.LOGSTORE, "access", "10.0.0.7", items);
        request.SetTags(new ArrayList<>(List.of(new TagContent("env", "demo"))));
        client.PutLogs(request);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_events WHERE request_id LIKE 'example-%'") == 20);
        assertEquals(20, TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_events WHERE request_id LIKE 'example-%' "
                + "AND topic = 'access' AND source_ip = '10.0.0.7' AND env = 'demo' AND status = 200 AND latency_ms = 12.5"));
        api().get("/api/links/aps-sls-events").then().body("state", equalTo("running"))
                .body("source", equalTo("sls:app-events"))
                .body("definition", org.hamcrest.Matchers.not(containsString(DemoSls.ACCESS_KEY_SECRET)));
    }

    static Path checkpointFile(String link) throws Exception {
        String dir = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("sluice.state.dir", String.class);
        return Path.of(dir, link + ".sls.json");
    }

    /** Logs seq {@code from} to {@code to} - 1 (request_id r-seq, amount seq.25, tag env=test) into {@code logstore}. */
    public static void put(Client client, String logstore, int from, int to) throws Exception {
        for (int start = from; start < to; start += 50) {
            List<LogItem> items = new ArrayList<>();
            for (int seq = start; seq < Math.min(to, start + 50); seq++) {
                LogItem item = new LogItem(1710604800 + seq);
                item.PushBack("request_id", "r-" + seq);
                item.PushBack("seq", String.valueOf(seq));
                item.PushBack("amount", seq + ".25");
                items.add(item);
            }
            PutLogsRequest request = new PutLogsRequest(DemoSls.PROJECT, logstore, "it-topic", "10.1.2.3", items);
            request.SetTags(new ArrayList<>(List.of(new TagContent("env", "test"))));
            client.PutLogs(request);
        }
    }

    static long rows(String table) {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo." + table);
    }

    static void awaitRows(String table, long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> rows(table) >= n);
    }
}
