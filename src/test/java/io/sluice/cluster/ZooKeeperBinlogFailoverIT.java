package io.sluice.cluster;

import com.aliyun.odps.data.Record;
import io.restassured.RestAssured;
import io.sluice.binlog.BinlogToKafkaKillIT;
import io.sluice.binlog.ChangeTopic;
import io.sluice.maxcompute.MaxComputeKillIT;
import io.sluice.maxcompute.McTables;
import io.sluice.state.JdbcStateStore;
import io.sluice.testkit.ClusterInstances;
import io.sluice.testkit.SharedStateDatabase;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestServers;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged Sluice instances elect through a real ZooKeeper which of them runs two binlog links: MySQL -> Kafka and
 * MySQL -> MaxCompute, with one shared state database. (a) The instance running both links is killed with SIGKILL
 * during both full loads (it starts first, so it wins both elections; the other joins as standby while they load): the
 * other instance loads both again from the start; the topic ends with every row and the changes after it, in order per
 * key, and {@code _base} holds one full load, not the interrupted one too. (b) The runner of the MaxCompute link is killed while changes flow, after some
 * were written past the stored position: the other takes over and {@code _log} holds every change, a change written
 * twice with the same record_id. (c) ZooKeeper stops answering the instance running both links (its connection
 * stalls, the others still reach ZooKeeper): it stops its links and turns not-ready naming ZooKeeper, the other takes
 * them over, and changes made meanwhile arrive. A watch asks both instances every 100 ms which links they run: never
 * two at once.
 */
class ZooKeeperBinlogFailoverIT {

    private static final String TOKEN = "cluster-zk-binlog-token-0123456789";
    private static final String KAFKA_LINK = "cdc-elected";
    private static final String MC_LINK = "mc-elected";
    private static final String KAFKA_DB = "zk_cdc";
    private static final String MC_DB = "zk_mc";
    /** Not "seq": MaxCompute tables are named after the source table, and MaxComputeKillIT's seq_log shares the project. */
    private static final String MC_TABLE = "zkseq";
    private static final String TOPIC = "cdc.zk-elected";
    private static final String STATE_DB = "sluice_cluster_zk_binlog";
    /**
     * Both full loads throttled to about 30 s, so that the kill lands inside them after the second instance started
     * (which takes 10-20 s on a busy machine).
     */
    private static final int FULL_LOAD_ROWS = 3_000;
    private static final int FULL_LOAD_ROWS_PER_SECOND = 100;
    /** The MaxCompute link's full load: ids from here on, apart from the ids its changes phase inserts (from 0). */
    private static final int MC_FULL_LOAD_FIRST_ID = 100_000;
    private static final int MC_ROWS = 2_000;
    private static final String LINKS_CHECK = "checks.find { it.name == 'links' }";
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void binlogLinksMoveOnKillsAndWhenZooKeeperStopsAnsweringTheirRunner() throws Exception {
        BinlogToKafkaKillIT.createFullLoadTable(KAFKA_DB, FULL_LOAD_ROWS);
        TestServers.mariaDb().execute("CREATE DATABASE " + MC_DB + "; CREATE TABLE " + MC_DB + "." + MC_TABLE
                + " (id INT PRIMARY KEY, n INT); INSERT INTO " + MC_DB + "." + MC_TABLE + " VALUES (-1, 0)");
        MaxComputeKillIT.insertRows(MC_DB + "." + MC_TABLE, MC_FULL_LOAD_FIRST_ID, FULL_LOAD_ROWS);
        // ticks of 500 ms: ZooKeeper accepts session timeouts from 2 ticks and expires sessions to the tick
        try (TestingServer zookeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
             TcpProxy toZooKeeperA = new TcpProxy(zookeeper.getPort());
             TcpProxy toZooKeeperB = new TcpProxy(zookeeper.getPort())) {
            Map<String, TcpProxy> toZooKeeper = Map.of("a", toZooKeeperA, "b", toZooKeeperB);
            Map<String, String> settings = new HashMap<>(BinlogToKafkaKillIT.sources(7400));
            settings.putAll(TestServers.maxComputeDataSource("mc", TestServers.maxCompute().port()));
            settings.putAll(SharedStateDatabase.fresh(STATE_DB));
            settings.put("sluice.cluster.kind", "zookeeper");
            settings.put("sluice.cluster.zookeeper.session-timeout", SESSION_TIMEOUT.toSeconds() + "S");
            Map<String, Map<String, String>> own = new HashMap<>();
            toZooKeeper.forEach((id, proxy) -> own.put(id,
                    Map.of("sluice.cluster.zookeeper.nodes", "127.0.0.1:" + proxy.port())));
            Map<String, String> routes = Map.of(
                    KAFKA_LINK + ".yaml", BinlogToKafkaKillIT.route(KAFKA_LINK, TOPIC, "databases: " + KAFKA_DB,
                            "serverId: 7401", "maxBatchSize: 500", "fullRowsPerSecond: " + FULL_LOAD_ROWS_PER_SECOND),
                    MC_LINK + ".yaml", MaxComputeKillIT.route(MC_LINK, MC_DB, "\n        serverId: 7402"
                            + "\n        maxBatchSize: 137\n        offsetFlushIntervalMs: 2000"
                            + "\n        fullRowsPerSecond: " + FULL_LOAD_ROWS_PER_SECOND));
            try (ClusterInstances cluster = new ClusterInstances("zk-binlog", List.of("a", "b"), settings, own::get, routes,
                    TOKEN)) {
                long started = System.nanoTime();
                String killed = "a";
                cluster.start(List.of(killed));
                cluster.awaitRunnerIs(KAFKA_LINK, killed, Duration.ofSeconds(60));
                cluster.awaitRunnerIs(MC_LINK, killed, Duration.ofSeconds(60));
                cluster.start(List.of("b"));
                phase("instances started", started);

                // (a) SIGKILL of the runner of both links during both full loads
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ChangeTopic.count(TOPIC) >= FULL_LOAD_ROWS / 5 && baseRows() >= FULL_LOAD_ROWS / 5);
                cluster.instance(killed).kill();
                long atKill = ChangeTopic.count(TOPIC);
                int baseAtKill = baseRows();
                assertTrue(atKill < FULL_LOAD_ROWS, "killed during the Kafka link's full load, with " + atKill
                        + " rows sent");
                assertTrue(baseAtKill <= FULL_LOAD_ROWS, "killed during the MaxCompute link's full load, with "
                        + baseAtKill + " rows in _base");
                String survivor = awaitFailover(cluster, KAFKA_LINK, killed);
                assertEquals(survivor, cluster.awaitRunner(MC_LINK, Duration.ofSeconds(60)));
                // back as standby of both links, starting while the survivor loads again
                CompletableFuture<Void> restart = restart(cluster, killed);
                BinlogToKafkaKillIT.changesAfterTheFullLoad(TOPIC, KAFKA_DB, FULL_LOAD_ROWS, atKill);
                BinlogToKafkaKillIT.assertFullLoadAgainThenEachChangeOnceInOrder(TOPIC, FULL_LOAD_ROWS);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> baseRows() == FULL_LOAD_ROWS + 1);
                phase("(a) full-load kill", started);

                // (b) SIGKILL of the MaxCompute link's runner while changes flow (the survivor of (a) runs it now)
                restart.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> !storedPosition(MC_LINK).isEmpty());
                CompletableFuture<Void> workload = CompletableFuture.runAsync(() ->
                        MaxComputeKillIT.workload(MC_DB, MC_TABLE, MC_ROWS));
                String mcRunner = survivor;
                MaxComputeKillIT.killWithChangesWrittenAfterTheStoredPosition(
                        () -> storedPosition(MC_LINK).getBytes(StandardCharsets.UTF_8),
                        () -> MaxComputeKillIT.log(MC_TABLE).size(), MC_ROWS / 2,
                        () -> cluster.instance(mcRunner).kill());
                int logAtKill = MaxComputeKillIT.log(MC_TABLE).size();
                assertTrue(logAtKill < 3 * MC_ROWS, "killed mid-stream, with " + logAtKill + " rows in _log");
                survivor = awaitFailover(cluster, MC_LINK, mcRunner);
                restart = restart(cluster, mcRunner);
                workload.get();
                MaxComputeKillIT.awaitMergeEqualsSource(cluster.instance(survivor).baseUrl(), TOKEN, MC_LINK, MC_DB,
                        MC_TABLE);
                MaxComputeKillIT.assertEachChangeWithOneRecordId(MaxComputeKillIT.log(MC_TABLE), MC_ROWS, true);
                phase("(b) mid-stream kill", started);

                // (c) ZooKeeper stops answering the instance that runs both links; the other still reaches it
                restart.get();
                String cutOff = survivor;
                String other = cutOff.equals("a") ? "b" : "a";
                assertEquals(cutOff, cluster.runnerNow(KAFKA_LINK), "the survivor of the kills runs both links");
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(other), KAFKA_LINK))
                                && "standby".equals(cluster.localState(cluster.instance(other), MC_LINK)));
                long stalledAt = System.nanoTime();
                toZooKeeper.get(cutOff).stall();
                CompletableFuture<Void> changes = CompletableFuture.runAsync(ZooKeeperBinlogFailoverIT::changesWhileCutOff);
                cluster.awaitRunnerIs(KAFKA_LINK, other, Duration.ofSeconds(60));
                cluster.awaitRunnerIs(MC_LINK, other, Duration.ofSeconds(60));
                System.out.printf("cut off: ZooKeeper stalled for %s, %s runs both links after %d ms%n", cutOff, other,
                        (System.nanoTime() - stalledAt) / 1_000_000);
                // (the readiness's own status is left aside: Quarkus's check of the unused default data source is DOWN here)
                RestAssured.given().baseUri(cluster.instance(cutOff).baseUrl()).get("/q/health/ready").then()
                        .body(LINKS_CHECK + ".status", equalTo("DOWN"))
                        .body(LINKS_CHECK + ".data.coordination", containsString("ZooKeeper"));
                assertNotEquals("running", cluster.localState(cluster.instance(cutOff), KAFKA_LINK));
                assertNotEquals("running", cluster.localState(cluster.instance(cutOff), MC_LINK));
                changes.get();
                toZooKeeper.get(cutOff).restore();
                // back in touch: ready again, as standby of the links the other runs now
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> RestAssured.given()
                        .baseUri(cluster.instance(cutOff).baseUrl()).get("/q/health/ready").then()
                        .body(LINKS_CHECK + ".status", equalTo("UP")));
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(cutOff), KAFKA_LINK))
                                && "standby".equals(cluster.localState(cluster.instance(cutOff), MC_LINK)));
                BinlogToKafkaKillIT.awaitTopicEqualsTable(TOPIC, KAFKA_DB);
                MaxComputeKillIT.awaitMergeEqualsSource(cluster.instance(other).baseUrl(), TOKEN, MC_LINK, MC_DB,
                        MC_TABLE);
                phase("(c) ZooKeeper stalled for the runner", started);
                assertEquals(1, cluster.mostRunners(KAFKA_LINK), "never two runners of " + KAFKA_LINK + " at once");
                assertEquals(1, cluster.mostRunners(MC_LINK), "never two runners of " + MC_LINK + " at once");
            }
        }
        assertReplaysOnlyAtTheirPositions();
        assertEquals(FULL_LOAD_ROWS + 1, baseRows(), "_base holds one full load (the survivor's), not the killed one's too");
    }

    /** The rows in the MaxCompute link's {@code _base} (0 before it exists). */
    private static int baseRows() throws Exception {
        String base = MC_TABLE + "_base";
        return McTables.exists(base) ? McTables.read(base, null).size() : 0;
    }

    /** Waits until the link runs on another instance than {@code killed}, and prints how long it took. */
    private static String awaitFailover(ClusterInstances cluster, String link, String killed) {
        long killedAt = System.nanoTime();
        String next = cluster.awaitRunner(link, Duration.ofSeconds(60));
        System.out.printf("failover: %s killed, %s runs %s after %d ms%n", killed, next, link,
                (System.nanoTime() - killedAt) / 1_000_000);
        assertNotEquals(killed, next);
        return next;
    }

    private static CompletableFuture<Void> restart(ClusterInstances cluster, String id) {
        return CompletableFuture.runAsync(() -> {
            try {
                cluster.instance(id).start();
            } catch (Exception e) {
                throw new IllegalStateException("instance " + id + " did not start again", e);
            }
        });
    }

    private static void phase(String name, long started) {
        System.out.printf("phase %s done at %d s%n", name, (System.nanoTime() - started) / 1_000_000_000);
    }

    /** Changes of both links' tables while the runner is cut off, paced over about the time a failover takes. */
    private static void changesWhileCutOff() {
        for (int round = 1; round <= 10; round++) {
            TestServers.mariaDb().execute("UPDATE " + KAFKA_DB + ".seq SET n = n + 1, pad = 'cut " + round
                    + "' WHERE id % 50 = 3; UPDATE " + MC_DB + "." + MC_TABLE + " SET n = n + 1 WHERE id % 20 = 3");
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Over all phases: a binlog change the topic holds twice is the same change at the same position, and a
     * record_id of {@code _log} has one content (a hand-over may replay, never alter or lose).
     */
    private static void assertReplaysOnlyAtTheirPositions() throws Exception {
        Map<String, Set<String>> byPosition = new HashMap<>();
        for (ChangeTopic.Change c : ChangeTopic.changes(TOPIC)) {
            if (!"snapshot".equals(c.position())) {
                byPosition.computeIfAbsent(c.position() + " " + c.row().get("id"), k -> new HashSet<>())
                        .add(c.type() + " " + c.row());
            }
        }
        assertTrue(byPosition.values().stream().allMatch(s -> s.size() == 1), "one binlog position, one change");
        Map<String, Set<String>> byRecordId = new HashMap<>();
        for (Record r : MaxComputeKillIT.log(MC_TABLE)) {
            byRecordId.computeIfAbsent(r.getBigint("new_dts_sync_record_id") + r.getString("new_dts_sync_after_flag"),
                    k -> new HashSet<>()).add(r.getString("new_dts_sync_operation_flag") + " " + r.get("id") + " " + r.get("n"));
        }
        assertTrue(byRecordId.values().stream().allMatch(s -> s.size() == 1), "a record_id has one content");
    }

    /** The link's Debezium offsets as the shared state database holds them now ("" before the first). */
    private static String storedPosition(String link) throws Exception {
        try (Connection c = TestServers.stateMariaDb().adminConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT GROUP_CONCAT(offset_key, '=', offset_val ORDER BY offset_key SEPARATOR ';') FROM " + STATE_DB
                        + "." + JdbcStateStore.OFFSETS_TABLE + " WHERE link_id = ? OR link_id LIKE CONCAT(?, '/%')")) {
            ps.setString(1, link);
            ps.setString(2, link);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String s = rs.getString(1);
                return s == null ? "" : s;
            }
        }
    }
}
