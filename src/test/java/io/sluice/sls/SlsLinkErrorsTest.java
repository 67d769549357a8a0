package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.LogItem;
import com.aliyun.openservices.log.request.PutLogsRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static io.sluice.sls.SlsToAdbLinkTest.awaitRows;
import static io.sluice.sls.SlsToAdbLinkTest.put;
import static io.sluice.sls.SlsToAdbLinkTest.rows;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SLS link's error cases against the local SLS server: each ends in a clear state and loses nothing. */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class SlsLinkErrorsTest {

    private static final String TABLE = "CREATE TABLE IF NOT EXISTS demo.%s (request_id VARCHAR(64) NOT NULL PRIMARY KEY, "
            + "log_time DATETIME NOT NULL, topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, amount DECIMAL(12,2))";

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    private static void add(String id, String logstore, String table, String extra) {
        TestServers.mariaDb().execute(TABLE.formatted(table));
        api().contentType("application/yaml").body(SlsToAdbLinkTest.route(id, logstore, table, extra).getBytes())
                .post("/api/links").then().statusCode(201);
    }

    /** Waits until the link is failed and its last error names every fragment. */
    private static void awaitFailed(String id, String... fragments) {
        awaitState(id, "failed", fragments);
    }

    /** Waits until the link is in {@code expected} state and its last error names every fragment. */
    private static void awaitState(String id, String expected, String... fragments) {
        await().atMost(Duration.ofSeconds(20)).until(() -> expected.equals(state(id)));
        String error = api().get("/api/links/" + id).then().extract().path("lastError");
        for (String f : fragments) {
            assertTrue(error.contains(f), "'" + f + "' in: " + error);
        }
    }

    private static String state(String id) {
        return api().get("/api/links/" + id).then().extract().path("state");
    }

    @Test
    void aWrongAccessKeyFailsTheLinkWithAClearMessageAndNoRetryStorm() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "err-key", 1);
        add("sls-wrong-key", "err-key", "sls_err", "accessKeySecret: not-the-secret");
        try {
            awaitFailed("sls-wrong-key", "SignatureNotMatch", "access-key-secret");
            api().get("/api/links/sls-wrong-key").then().body("definition", not(containsString("not-the-secret")));
            int refused = sls.calls("SignatureNotMatch");
            Thread.sleep(3_000);
            assertEquals(refused, sls.calls("SignatureNotMatch"), "a refused key is not retried in a loop");
            assertEquals("failed", state("sls-wrong-key"));
        } finally {
            api().delete("/api/links/sls-wrong-key");
        }
    }

    @Test
    void aMissingLogstoreFailsTheLinkNamingTheFix() {
        add("sls-no-store", "no-such-store", "sls_err", "");
        try {
            awaitFailed("sls-no-store", "LogStoreNotExist", "create logstore 'no-such-store'");
        } finally {
            api().delete("/api/links/sls-no-store");
        }
    }

    @Test
    void throttlingBacksOffAndLosesNothing() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "err-throttled", 2);
        sls.throttleReads(DemoSls.PROJECT, "err-throttled", 6);
        put(TestServers.slsClient(), "err-throttled", 0, 300);
        add("sls-throttled", "err-throttled", "sls_thr", "");
        try {
            awaitRows("sls_thr", 300);
            Thread.sleep(500);
            assertEquals(300, rows("sls_thr"));
            api().get("/api/links/sls-throttled").then().body("state", equalTo("running"))
                    .body("runLog.message", hasItem(containsString("ReadQuotaExceed")))
                    .body("runLog.message", hasItem(containsString("records are moving again")));
            assertTrue(sls.calls("ReadQuotaExceed") >= 6);
        } finally {
            api().delete("/api/links/sls-throttled");
        }
    }

    @Test
    void anUnreachableEndpointIsRetriedAndShownAsRetrying() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        add("sls-unreachable", "err-key", "sls_err", "proxyPort: " + closedPort);
        try {
            awaitState("sls-unreachable", "retrying", "unreachable");
            await().atMost(Duration.ofSeconds(20)).until(() -> api().get("/api/links/sls-unreachable").then().extract()
                    .jsonPath().getList("runLog.findAll { it.event == 'error' }").size() >= 2);
        } finally {
            api().delete("/api/links/sls-unreachable");
        }
    }

    @Test
    void aSecondLinkWritingTheSameTableFromAnotherLogstoreIsRefused() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "one-a", 1);
        sls.createLogstore(DemoSls.PROJECT, "one-b", 1);
        add("sls-one-a", "one-a", "sls_one", "");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(state("sls-one-a")));
            add("sls-one-b", "one-b", "sls_one", "");
            awaitFailed("sls-one-b", "synchronizes from only one Logstore", "sls-one-a");
            put(TestServers.slsClient(), "one-b", 0, 10);
            put(TestServers.slsClient(), "one-a", 100, 110);
            awaitRows("sls_one", 10);
            Thread.sleep(500);
            assertEquals(0, TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_one WHERE seq < 100"),
                    "the refused link wrote nothing");
            // once the first link is gone, the second may start
            api().delete("/api/links/sls-one-a").then().statusCode(204);
            api().post("/api/links/sls-one-b/start").then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> rows("sls_one") == 20);
        } finally {
            api().delete("/api/links/sls-one-a");
            api().delete("/api/links/sls-one-b");
        }
    }

    @Test
    void dirtyDataStopsTheLinkNamingTheShardPositionAndWritesNothingOfTheBatch() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "err-dirty", 1);
        Client client = TestServers.slsClient();
        put(client, "err-dirty", 0, 5);
        LogItem bad = new LogItem(1710604800);
        bad.PushBack("request_id", "r-bad");
        bad.PushBack("seq", "not-a-number");
        client.PutLogs(new PutLogsRequest(DemoSls.PROJECT, "err-dirty", "t", "s",
                new ArrayList<>(List.of(bad))));
        put(client, "err-dirty", 5, 10);
        add("sls-dirty", "err-dirty", "sls_dirty", "");
        try {
            awaitFailed("sls-dirty", "dirty data at shard 0, cursor", "seq", "not-a-number");
            assertEquals(0, rows("sls_dirty"), "nothing of the batch holding the dirty record is written");
            api().get("/api/links/sls-dirty/dirty").then().statusCode(200)
                    .body("field", hasItem("seq"))
                    .body("position[0]", containsString("shard 0"));
        } finally {
            api().delete("/api/links/sls-dirty");
        }
    }
}
