package io.sluice.cluster;

import com.aliyun.openservices.log.Client;
import io.sluice.console.Browser;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.sluice.sls.SlsToAdbLinkTest;
import io.sluice.testkit.ClusterInstances;
import io.sluice.testkit.SharedStateDatabase;
import io.sluice.testkit.TestServers;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged Sluice instances elect through a real ZooKeeper (curator-test's in-process server) which of them runs an
 * SLS -> AnalyticDB link (no consumer group: one reader), with one shared state database. The runner is killed with
 * SIGKILL mid-stream: the other takes the link over from the shared checkpoints and the table ends up with every log.
 * Then a pause clicked in the standby instance's console (a real browser, which shows the link's state as the runner
 * reports it and names the runner) reaches the runner; the runner is killed; the survivor keeps the link
 * paused, and a resume on it continues where the pause left it. A watch asks both instances all along and counts
 * how many run the link at once: never two.
 */
class ZooKeeperSlsFailoverIT {

    private static final String TOKEN = "cluster-zk-token-0123456789";
    private static final String LINK = "sls-elected";
    private static final int LOGS = 12_000;

    @Test
    void theOtherInstanceTakesTheLinkOverAfterAKillAndKeepsAPause() throws Exception {
        LocalSlsServer sls = TestServers.sls();
        sls.createLogstore(DemoSls.PROJECT, "elected-events", 2);
        SlsToAdbLinkTest.createTable("sls_elected");
        try (TestingServer zookeeper = new TestingServer(true)) {
            Map<String, String> settings = new HashMap<>(io.sluice.sls.SlsToAdbKillIT.props(sls, TOKEN));
            settings.putAll(SharedStateDatabase.fresh("sluice_cluster_zk"));
            settings.put("sluice.cluster.kind", "zookeeper");
            settings.put("sluice.cluster.zookeeper.nodes", zookeeper.getConnectString());
            settings.put("sluice.cluster.zookeeper.session-timeout", "6S");
            String route = SlsToAdbLinkTest.route(LINK, "elected-events", "sls_elected", "");
            try (ClusterInstances cluster = new ClusterInstances("zk-sls", List.of("a", "b"), settings,
                    Map.of(LINK + ".yaml", route), TOKEN)) {
                cluster.start();
                String runner = cluster.awaitRunner(LINK, Duration.ofSeconds(60));
                String other = runner.equals("a") ? "b" : "a";
                // the standby instance says so itself, and shows the link as its runner reports it
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(other), LINK)));
                assertEquals(runner, cluster.get(other, "/api/links").getString("find { it.id == '" + LINK + "' }.runner"));
                // as the runner reports it: running once its first start attempt went through (retrying meanwhile)
                await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(
                        cluster.get(other, "/api/links").getString("find { it.id == '" + LINK + "' }.state")));
                assertTrue(cluster.get(other, "/q/health/ready").getString("checks.find { it.name == 'links' }.data.'" + LINK + "'")
                        .contains("runs on " + runner), "readiness names the runner");

                Client client = TestServers.slsClient();
                CompletableFuture<Void> feed = CompletableFuture.runAsync(() ->
                        io.sluice.sls.SlsToAdbKillIT.feed(client, "elected-events", LOGS));
                await().atMost(Duration.ofSeconds(120)).until(() -> rows() >= 2_000);
                long killedAt = System.nanoTime();
                cluster.instance(runner).kill();
                assertTrue(rows() < LOGS, "killed mid-stream, with " + rows() + " rows written");
                String next = cluster.awaitRunner(LINK, Duration.ofSeconds(60));
                System.out.printf("failover: %s killed, %s runs %s after %d ms%n", runner, next, LINK,
                        (System.nanoTime() - killedAt) / 1_000_000);
                assertEquals(other, next);
                feed.get();
                await().atMost(Duration.ofSeconds(120)).until(() -> rows() >= LOGS);
                assertEquals(LOGS, countCorrect());

                // the killed instance comes back as standby; its console (a real browser) shows the link as the
                // runner reports it, names the runner, and a pause clicked there reaches the runner
                cluster.instance(runner).start();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(runner), LINK)));
                try (Browser page = Browser.open(URI.create(cluster.instance(runner).baseUrl() + "/").toURL())) {
                    page.signIn(TOKEN);
                    page.waitForText(Browser.cell(LINK, "state"), t -> t.startsWith("running") && t.contains("on " + next));
                    page.click(Browser.action(LINK, "pause"));
                    page.waitForText(Browser.cell(LINK, "state"), t -> t.startsWith("paused") && t.contains("on " + next));
                }
                assertEquals("paused", cluster.localState(cluster.instance(next), LINK));
                cluster.instance(next).kill();
                // the survivor is elected, and keeps the link paused: nothing is read
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        "paused".equals(cluster.localState(cluster.instance(runner), LINK)));
                SlsToAdbLinkTest.put(client, "elected-events", LOGS, LOGS + 1_000);
                Thread.sleep(2_000);
                assertEquals(LOGS, rows(), "a paused link wrote nothing after its runner was killed");
                assertEquals(200, cluster.post(runner, "/api/links/" + LINK + "/resume"));
                await().atMost(Duration.ofSeconds(60)).until(() -> rows() >= LOGS + 1_000);
                assertEquals(1, cluster.mostRunners(LINK), "never two runners at once");
                assertNotEquals(null, cluster.runnerNow(LINK));
            }
        }
        assertEquals(LOGS + 1_000, rows());
        assertEquals(LOGS + 1_000, countCorrect());
    }

    private static long rows() {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.sls_elected");
    }

    private static long countCorrect() {
        return io.sluice.sls.SlsToAdbKillIT.logsAsWritten("sls_elected");
    }
}
