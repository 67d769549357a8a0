package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app, killed with SIGKILL while the SLS -> AnalyticDB link moves a stream from a 3-shard logstore of
 * the local SLS server, then started again: the table ends up holding every log exactly once (shard checkpoints are
 * written only after the database commit; the re-read logs are upserted on the primary key).
 */
public class SlsToAdbKillIT {

    private static final int LOGS = 20_000;

    @Test
    void aKilledInstanceLosesNothingAndDuplicatesNothingAfterRestart() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "kill-events", 3);
        SlsToAdbLinkTest.createTable("sls_killed");
        Map<String, String> props = props(sls, "kill-test-token-0123456789");
        Path dir = Path.of("target", "sls-kill-it");
        try (SluiceProcess sluice = new SluiceProcess(dir, props,
                Map.of("sls-killed.yaml", SlsToAdbLinkTest.route("sls-killed", "kill-events", "sls_killed", "")))) {
            sluice.start();
            Client client = TestServers.slsClient();
            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> feed(client, "kill-events", LOGS));
            await().atMost(Duration.ofSeconds(120)).until(() -> rows() >= 3_000);
            sluice.kill();
            long atKill = rows();
            assertTrue(atKill < LOGS, "killed mid-stream, with " + atKill + " rows written");
            feed.get();
            sluice.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> rows() >= LOGS);
            Thread.sleep(2_000); // a late duplicate would show up as extra rows here
            // the restarted instance continued from its committed position instead of reading everything again
            long readAfterRestart = io.restassured.RestAssured.given().baseUri(sluice.baseUrl())
                    .header("Authorization", "Bearer kill-test-token-0123456789").get("/api/links/sls-killed")
                    .then().statusCode(200).extract().<Number>path("recordsIn").longValue();
            assertTrue(readAfterRestart < LOGS, "read again after the restart: " + readAfterRestart);
        }
        assertEquals(LOGS, rows());
        assertEquals(LOGS, SlsToAdbKillIT.logsAsWritten("sls_killed"));
    }

    /** The rows of demo.{@code table} that hold what the test logs carried (key, amount, tag, time), once each. */
    public static long logsAsWritten(String table) {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo." + table + " WHERE request_id = CONCAT('r-', seq) "
                + "AND amount = seq + 0.25 AND env = 'test' AND log_time = FROM_UNIXTIME(1710604800 + seq)");
    }

    private static long rows() {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_killed");
    }

    /** The packaged app's settings: the test kit's MariaDB, the local SLS server as data source demo, this API token. */
    public static Map<String, String> props(LocalSlsServer sls, String token) {
        return Map.of(
                "quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"),
                "quarkus.datasource.password", "sluice-demo-pw",
                "sluice.api.token", token,
                "sluice.sls.demo.endpoint", DemoSls.ENDPOINT,
                "sluice.sls.demo.proxy-host", "127.0.0.1",
                "sluice.sls.demo.proxy-port", String.valueOf(sls.port()),
                "sluice.sls.demo.access-key-id", DemoSls.ACCESS_KEY_ID,
                "sluice.sls.demo.access-key-secret", DemoSls.ACCESS_KEY_SECRET);
    }

    /** A steady stream of {@code logs} logs, so the kill lands while batches are in flight. */
    public static void feed(Client client, String logstore, int logs) {
        try {
            for (int from = 0; from < logs; from += 1_000) {
                SlsToAdbLinkTest.put(client, logstore, from, from + 1_000);
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
