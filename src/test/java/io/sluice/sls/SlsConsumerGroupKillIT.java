package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged Sluice processes run the same SLS -> AnalyticDB link through one consumer group on a 4-shard logstore
 * of the local SLS server: each reads 2 shards; one is killed with SIGKILL mid-stream (no more heartbeats, nothing
 * committed for its batch in flight), the other reads all 4 after the group's timeout from the group's checkpoints,
 * and the table ends up with every log (re-read logs are upserted on the key).
 */
class SlsConsumerGroupKillIT {

    private static final int LOGS = 20_000;
    private static final String TOKEN = "group-kill-token-0123456789";

    @Test
    void theSurvivorTakesAllShardsOfAKilledInstanceAndNothingIsLost() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "group-events", 4);
        SlsToAdbLinkTest.createTable("sls_grouped");
        Map<String, String> props = SlsToAdbKillIT.props(sls, TOKEN);
        String route = SlsToAdbLinkTest.route("sls-grouped", "group-events", "sls_grouped",
                "consumerGroup: kill-group\n        consumerGroupTimeout: 4\n        heartbeatIntervalMs: 500");
        try (SluiceProcess a = new SluiceProcess(Path.of("target", "sls-group-kill-a"), props, Map.of("sls-grouped.yaml", route));
             SluiceProcess b = new SluiceProcess(Path.of("target", "sls-group-kill-b"), props, Map.of("sls-grouped.yaml", route))) {
            a.start();
            b.start();
            awaitHeld(sls, List.of(2, 2));
            Client client = TestServers.slsClient();
            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> SlsToAdbKillIT.feed(client, "group-events", LOGS));
            await().atMost(Duration.ofSeconds(120)).until(() -> rows() >= 3_000);
            a.kill();
            assertTrue(rows() < LOGS, "killed mid-stream, with " + rows() + " rows written");
            awaitHeld(sls, List.of(4));
            feed.get();
            await().atMost(Duration.ofSeconds(120)).until(() -> rows() >= LOGS);
            Thread.sleep(1_000);
            long readByB = io.restassured.RestAssured.given().baseUri(b.baseUrl()).header("Authorization", "Bearer " + TOKEN)
                    .get("/api/links/sls-grouped").then().statusCode(200).extract().<Number>path("recordsIn").longValue();
            assertTrue(readByB < LOGS, "B read only its shards and those A had not committed: " + readByB);
        }
        assertEquals(LOGS, rows());
        assertEquals(LOGS, SlsToAdbKillIT.logsAsWritten("sls_grouped"));
    }

    /** Waits until the group's live consumers hold these many shards each (largest first). */
    private static void awaitHeld(LocalSlsServer sls, List<Integer> expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, Set<Integer>> held = sls.consumerGroupShards(DemoSls.PROJECT, "group-events", "kill-group");
            assertEquals(expected, held.values().stream().map(Set::size).sorted((x, y) -> y - x).toList(), "held: " + held);
        });
    }

    private static long rows() {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_grouped");
    }
}
