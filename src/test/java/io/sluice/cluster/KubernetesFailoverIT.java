package io.sluice.cluster;

import io.restassured.path.json.JsonPath;
import io.sluice.binlog.BinlogToKafkaKillIT;
import io.sluice.binlog.ChangeTopic;
import io.sluice.testkit.ClusterInstances;
import io.sluice.testkit.SharedStateDatabase;
import io.sluice.testkit.KubernetesApi;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged Sluice instances in pods of a Kubernetes API (fabric8's mock, with a kubelet stand-in that sets each
 * pod's Ready condition from the instance's readiness and deletes the pod of a dead process) elect through a Lease which
 * of them runs a MySQL -> Kafka link (Canal JSON), with one shared state database.
 *
 * <p>First the Kubernetes API is cut off for the runner alone (a {@link TcpProxy} between it and the API) mid-stream:
 * it stops the link (it cannot renew its Lease), turns not-ready naming the Kubernetes API, the kubelet stand-in marks
 * its pod not Ready, and the other instance takes the link over from the shared positions; with the API back, the first
 * instance turns ready and stays standby. Then the new runner is killed with SIGKILL mid-stream: its pod goes away and
 * the first instance takes the link over again. After each failover the topic holds every change (a duplicate only as a
 * replay carrying its binlog position). A watch asks both instances all along: never two runners at once.
 */
class KubernetesFailoverIT {

    private static final String TOKEN = "cluster-k8s-token-0123456789";
    private static final String LINK = "cdc-k8s";
    /** camel-kubernetes names a link's Lease {@code leaders-} and the election's name. */
    private static final String LEASE = "leaders-link-" + LINK;
    private static final String TOPIC = "cdc.k8s-failover";
    private static final String TABLE = "cdc_k8s.seq";
    private static final int ROWS = 3_000;

    @Test
    void theOtherPodTakesTheLinkOverWhenTheRunnerLosesTheKubernetesApiOrDies() throws Exception {
        long began = System.nanoTime();
        TestServers.mariaDb().execute("CREATE DATABASE cdc_k8s; CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, n INT); "
                + "INSERT INTO " + TABLE + " VALUES (-1, 0)");
        try (KubernetesApi k8s = new KubernetesApi();
             TcpProxy apiOf0 = new TcpProxy(k8s.port());
             TcpProxy apiOf1 = new TcpProxy(k8s.port())) {
            Map<String, TcpProxy> apiProxies = Map.of("sluice-0", apiOf0, "sluice-1", apiOf1);
            Map<String, String> settings = new HashMap<>(BinlogToKafkaKillIT.sources(7401));
            settings.putAll(SharedStateDatabase.fresh("sluice_cluster_k8s"));
            // the default data source is part of readiness: the kubelet stand-in would never see the pods Ready
            settings.put("quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"));
            settings.put("quarkus.datasource.password", "sluice-demo-pw");
            String route = BinlogToKafkaKillIT.route(LINK, TOPIC, "databases: cdc_k8s", "maxBatchSize: 200");
            try (ClusterInstances cluster = new ClusterInstances("k8s-cdc", List.of("sluice-0", "sluice-1"), settings,
                    pod -> KubernetesApi.settings("http://127.0.0.1:" + apiProxies.get(pod).port()),
                    Map.of(LINK + ".yaml", route), TOKEN)) {
                for (String pod : cluster.ids()) {
                    k8s.runs(pod, cluster.instance(pod));
                }
                cluster.start();
                String first = cluster.awaitRunner(LINK, Duration.ofSeconds(60));
                String second = first.equals("sluice-0") ? "sluice-1" : "sluice-0";
                System.out.printf("%d ms: both instances started, %s runs %s; Leases in namespace %s: %s%n",
                        ms(began, System.nanoTime()), first, LINK, KubernetesApi.NAMESPACE, k8s.leaseNames());
                assertEquals(first, k8s.holder(LEASE), "the runner holds the link's Lease " + LEASE);
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(second), LINK)));
                await().atMost(Duration.ofSeconds(10)).until(() -> k8s.ready(first) && k8s.ready(second));
                await().atMost(Duration.ofSeconds(120)).until(() -> ChangeTopic.messages(TOPIC).stream()
                        .anyMatch(m -> !Boolean.TRUE.equals(m.getIsDdl())));

                // phase 1: the runner loses the Kubernetes API mid-stream
                CompletableFuture<Void> workload = CompletableFuture.runAsync(() ->
                        BinlogToKafkaKillIT.workload(TABLE, ROWS));
                await().atMost(Duration.ofSeconds(120)).until(() -> changesSent() >= ROWS / 3);
                long cutAt = System.nanoTime();
                apiProxies.get(first).cut();
                long atCut = changesSent();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        !"running".equals(cluster.localState(cluster.instance(first), LINK)));
                long stopped = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        "DOWN".equals(cluster.readiness(first).getString("status")));
                JsonPath readiness = cluster.readiness(first);
                String coordination = readiness.getString("checks.find { it.name == 'links' }.data.coordination");
                assertTrue(coordination != null && coordination.contains("Kubernetes API"),
                        "readiness names the Kubernetes API: " + readiness.prettify());
                await().atMost(Duration.ofSeconds(10)).until(() -> !k8s.ready(first));
                long notReady = System.nanoTime();
                assertEquals(second, cluster.awaitRunner(LINK, Duration.ofSeconds(60)));
                long tookOver = System.nanoTime();
                System.out.printf("failover after the Kubernetes API was cut off for %s (%d changes sent): it stopped %s "
                        + "after %d ms, its pod was not Ready after %d ms, %s runs the link after %d ms%n", first, atCut,
                        LINK, ms(cutAt, stopped), ms(cutAt, notReady), second, ms(cutAt, tookOver));
                assertEquals(second, k8s.holder(LEASE));
                workload.get();
                assertTrue(atCut < 2 * ROWS + 1, "cut off mid-stream, with " + atCut + " changes sent");
                // the API back: the cut-off instance turns ready again, and stays standby
                apiProxies.get(first).restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> k8s.ready(first));
                awaitTopicEqualsTable();
                BinlogToKafkaKillIT.assertEveryChangeArrivedAndReplaysAreRecognisable(TOPIC, 2 * ROWS + 1);
                assertEquals("standby", cluster.localState(cluster.instance(first), LINK));

                // phase 2: SIGKILL the new runner mid-stream; the kubelet stand-in deletes its pod
                CompletableFuture<Void> updates = CompletableFuture.runAsync(() ->
                        BinlogToKafkaKillIT.updateEach(TABLE, ROWS, 1));
                await().atMost(Duration.ofSeconds(120)).until(() -> changesSent() >= 2 * ROWS + 1 + ROWS / 5);
                long killedAt = System.nanoTime();
                cluster.instance(second).kill();
                long atKill = changesSent();
                await().atMost(Duration.ofSeconds(10)).until(() -> k8s.pod(second) == null);
                long podGone = System.nanoTime();
                assertEquals(first, cluster.awaitRunner(LINK, Duration.ofSeconds(60)));
                long tookOverAgain = System.nanoTime();
                System.out.printf("failover after SIGKILL: %s killed (%d changes sent), its pod deleted after %d ms, "
                        + "%s runs the link after %d ms%n", second, atKill, ms(killedAt, podGone), first,
                        ms(killedAt, tookOverAgain));
                assertEquals(first, k8s.holder(LEASE));
                updates.get();
                assertTrue(atKill < 3 * ROWS + 1, "killed mid-stream, with " + atKill + " changes sent");
                awaitTopicEqualsTable();
                BinlogToKafkaKillIT.assertEveryChangeArrivedAndReplaysAreRecognisable(TOPIC, 3 * ROWS + 1);
                assertEquals(1, cluster.mostRunners(LINK), "never two runners at once");
                System.out.printf("%d ms: both failovers checked%n", ms(began, System.nanoTime()));
            }
        }
    }

    /** The distinct changes in the topic so far (a replay has the position of its original). */
    private static long changesSent() {
        return ChangeTopic.changes(TOPIC).stream().map(ChangeTopic.Change::position).distinct().count();
    }

    private static void awaitTopicEqualsTable() {
        List<String> columns = List.of("id", "n");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertEquals(ChangeTopic.rows("cdc_k8s", "seq", "id", columns),
                        ChangeTopic.replay(ChangeTopic.messages(TOPIC), "cdc_k8s", "seq", "id", columns)));
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
