package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static io.sluice.sls.SlsToAdbLinkTest.put;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two SLS links reading one logstore of 4 shards through one consumer group (as two Sluice instances would), against
 * the local SLS server over real HTTP and the real MariaDB. The table has no key and the sink inserts, so a log read
 * twice shows as a second row: each link reads 2 shards and every log arrives once; a stopped consumer's shards go to
 * the other after the group's timeout; a restart continues from the group's checkpoints; a consumer cut off from SLS
 * (no heartbeat gets through, as for a killed instance) loses its shards to the other and nothing is lost.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class SlsConsumerGroupTest {

    private static final String LOGSTORE = "cg-events";
    private static final String GROUP = "cg-test";
    private static final String A = "sls-cg-a";
    private static final String B = "sls-cg-b";

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    /**
     * A link of {@code group} into demo.sls_cg (no key, so the sink inserts); {@code extra}: one more source parameter
     * line. Two links with the same endpoint URI would be one Camel endpoint (which allows one consumer), so B names
     * its consumer and A keeps the default name.
     */
    private static String route(String id, String group, String extra) {
        String indent = "\n" + " ".repeat(8);
        return SlsToAdbLinkTest.route(id, LOGSTORE, "sls_cg", "consumerGroup: \"" + group + "\""
                + indent + "consumerGroupTimeout: 3" + indent + "heartbeatIntervalMs: 300" + indent + extra);
    }

    @Test
    void twoLinksShareTheShardsAndTakeOverEachOthersWithoutLoss() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, LOGSTORE, 4);
        TestServers.mariaDb().execute("CREATE TABLE IF NOT EXISTS demo.sls_cg (request_id VARCHAR(64) NOT NULL, "
                + "log_time DATETIME NOT NULL, topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, "
                + "amount DECIMAL(12,2))");
        Client client = TestServers.slsClient();

        api().contentType("application/yaml").body(route("sls-cg-bad", "Not A Group", "").getBytes()).post("/api/links")
                .then().statusCode(400).body(containsString("consumerGroup 'Not A Group' is not a valid SLS consumer group name"));

        // a logstore that does not exist: the link fails naming it and the fix
        api().contentType("application/yaml").body(SlsToAdbLinkTest.route("sls-cg-missing", "cg-missing", "sls_cg",
                "consumerGroup: " + GROUP).getBytes()).post("/api/links").then().statusCode(201);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(
                    api().get("/api/links/sls-cg-missing").then().extract().path("state")));
            api().get("/api/links/sls-cg-missing").then().body("lastError",
                    containsString("LogStoreNotExist")).body("lastError", containsString("create logstore 'cg-missing'"));
        } finally {
            api().delete("/api/links/sls-cg-missing");
        }

        put(client, LOGSTORE, 0, 1_000);
        api().contentType("application/yaml").body(route(A, GROUP, "").getBytes()).post("/api/links").then().statusCode(201);
        api().contentType("application/yaml").body(route(B, GROUP, "consumer: " + B).getBytes()).post("/api/links").then().statusCode(201);
        try {
            // two consumers, 4 shards: 2 each, every log once
            awaitRows(1_000);
            awaitHeld(sls, Map.of(A, 2, B, 2));
            put(client, LOGSTORE, 1_000, 2_000);
            awaitRows(2_000);
            assertOnce(2_000);
            assertTrue(recordsIn(A) > 0 && recordsIn(B) > 0, "both links read: " + recordsIn(A) + ", " + recordsIn(B));
            api().get("/api/links/" + A).then().body("runLog.message", hasItem(containsString("in consumer group '" + GROUP + "'")));

            // B stops (no more heartbeats): after the group's timeout A reads all 4 shards from B's checkpoints
            api().post("/api/links/" + B + "/stop").then().statusCode(200);
            put(client, LOGSTORE, 2_000, 3_000);
            awaitHeld(sls, Map.of(A, 4));
            awaitRows(3_000);
            assertOnce(3_000);

            // both stop and start again: each shard continues at the group's checkpoint, nothing is read twice
            api().post("/api/links/" + A + "/stop").then().statusCode(200);
            put(client, LOGSTORE, 3_000, 3_500);
            api().post("/api/links/" + A + "/start").then().statusCode(200);
            api().post("/api/links/" + B + "/start").then().statusCode(200);
            awaitHeld(sls, Map.of(A, 2, B, 2));
            awaitRows(3_500);
            assertOnce(3_500);

            // A is cut off from SLS, as a killed instance would be: B takes all 4 shards after the timeout, A stops
            // reading them itself; logs A wrote without committing may arrive twice, none is lost
            sls.consumerUnreachable(A, true);
            put(client, LOGSTORE, 3_500, 4_000);
            awaitHeld(sls, Map.of(B, 4));
            awaitDistinct(4_000);
            sls.consumerUnreachable(A, false);
            awaitHeld(sls, Map.of(A, 2, B, 2));
            put(client, LOGSTORE, 4_000, 4_500);
            awaitDistinct(4_500);
            assertEquals(4_500, TestServers.queryLong("SELECT COUNT(DISTINCT seq) FROM demo.sls_cg WHERE seq BETWEEN 0 AND 4499"
                    + " AND request_id = CONCAT('r-', seq) AND amount = seq + 0.25"));
            api().get("/api/links/" + A).then().body("runLog.message",
                    hasItem(containsString("no heartbeat reached SLS for the group's timeout")));
        } finally {
            sls.consumerUnreachable(A, false);
            api().delete("/api/links/" + A);
            api().delete("/api/links/" + B);
        }
    }

    /** Waits until exactly these links (by the link id ending their consumer name) hold these many shards. */
    private static void awaitHeld(LocalSlsServer sls, Map<String, Integer> expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, Set<Integer>> held = sls.consumerGroupShards(DemoSls.PROJECT, LOGSTORE, GROUP);
            Map<String, Integer> counts = new java.util.TreeMap<>();
            held.forEach((consumer, shards) -> counts.put(consumer.substring(consumer.lastIndexOf("-sls-cg-") + 1), shards.size()));
            assertEquals(new java.util.TreeMap<>(expected), counts, "shards held per consumer: " + held);
        });
    }

    private static void assertOnce(long n) {
        assertEquals(n, TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_cg"), "every log arrived once");
        assertEquals(n, TestServers.queryLong("SELECT COUNT(DISTINCT request_id) FROM demo.sls_cg"));
    }

    private static void awaitRows(long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_cg") >= n);
    }

    private static void awaitDistinct(long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> TestServers.queryLong("SELECT COUNT(DISTINCT request_id) FROM demo.sls_cg") >= n);
    }

    private static long recordsIn(String link) {
        return api().get("/api/links/" + link).then().extract().jsonPath().getLong("recordsIn");
    }
}
