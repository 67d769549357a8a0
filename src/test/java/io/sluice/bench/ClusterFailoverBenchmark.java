package io.sluice.bench;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.binlog.BinlogToKafkaKillIT;
import io.sluice.binlog.ChangeTopic;
import io.sluice.testkit.ClusterInstances;
import io.sluice.testkit.SharedStateDatabase;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What several instances cost, with the packaged app ({@code target/quarkus-app}, so run through failsafe; see
 * BENCHMARKS.md for the command). Not part of the test run (the class name ends in neither Test nor IT).
 *
 * <p>(i) Failover time with ZooKeeper: two instances, a MySQL -> Kafka link fed 100 rows/s; SIGKILL of its runner, then
 * the time until the other shows the link running (elected and started), and until the first record the new runner
 * appended to the topic (the topic's end offsets grow again; the killed process can append nothing, and records in
 * flight at the kill are left to land during the first 200 ms, which no failover is faster than). {@code bench.rounds}
 * rounds (5), the killed instance started again as standby after each; median and spread printed. ZooKeeper's session
 * timeout {@code bench.sessionTimeout} (10S, the default of sluice.cluster.zookeeper.session-timeout) bounds it from
 * below: the other instance is elected only once the killed one's session expired. Kubernetes leases are not measured
 * here: their failover waits until the dead pod turns not-ready or goes away (Camel's followers honour a lease while
 * its holder's pod is Running and Ready), which the kubelet decides and a mock API server cannot model.
 *
 * <p>(ii) The overhead of the election and the shared state: one MySQL -> Kafka link, one instance, in three settings:
 * ZooKeeper cluster with the JDBC state store, no cluster with the JDBC state store, no cluster with the file store. Each
 * run: the link started on an empty table, paused, {@code bench.changes} row changes (200,000; 70% insert, 20% update,
 * 10% delete) written, the link resumed: its rows/s from the resume until its recordsOut counter has them all. The
 * settings alternate over {@code bench.throughputRounds} rounds (3); the best run of each counts, and the ratios against
 * the no-cluster JDBC run are printed (the target: the cluster costs less than 5%).
 */
class ClusterFailoverBenchmark {

    static {
        System.setProperty(SluiceProcess.FULL_JIT, "true"); // throughput is measured with the JVM's full compiler
    }

    private static final String TOKEN = "bench-cluster-token-0123456789";
    private static final String LINK = "bench-elected";

    @Test
    void failoverTimeAndClusterOverhead() throws Exception {
        try (TestingServer zookeeper = new TestingServer(true)) {
            List<long[]> failovers = failovers(zookeeper, Integer.getInteger("bench.rounds", 5));
            Map<String, List<Double>> throughput = throughput(zookeeper, Integer.getInteger("bench.changes", 200_000),
                    Integer.getInteger("bench.throughputRounds", 3));

            System.out.printf("%nBENCH failover (ZooKeeper, session timeout %s), SIGKILL of the runner -> the other runs"
                    + " the link: %s ms; median %d ms%n", System.getProperty("bench.sessionTimeout", "10S"),
                    failovers.stream().map(f -> String.valueOf(f[0])).collect(Collectors.joining(" / ")),
                    median(failovers, 0));
            System.out.printf("BENCH failover, SIGKILL of the runner -> first record from the new runner in the topic: "
                            + "%s ms; median %d ms%n",
                    failovers.stream().map(f -> String.valueOf(f[1])).collect(Collectors.joining(" / ")),
                    median(failovers, 1));
            double reference = best(throughput.get("none+jdbc"));
            throughput.forEach((setting, runs) -> System.out.printf(
                    "BENCH mysql->kafka link, %s: runs %s rows/s; best %,.0f rows/s, ratio to none+jdbc %.3f%n", setting,
                    runs.stream().map(r -> String.format("%,.0f", r)).collect(Collectors.joining(" / ")), best(runs),
                    best(runs) / reference));
            System.out.println();
        }
    }

    /** Rounds of kill -> failover with two instances: per round, ms to the other running it and to its first record. */
    private static List<long[]> failovers(TestingServer zookeeper, int rounds) throws Exception {
        String table = "cl_failover";
        String topic = "bench.cluster-failover";
        BinlogWorkload.createTable(table);
        Map<String, String> settings = new HashMap<>(common());
        settings.putAll(SharedStateDatabase.fresh("sluice_bench_failover"));
        settings.putAll(zookeeper(zookeeper));
        List<long[]> out = new ArrayList<>();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (ClusterInstances cluster = new ClusterInstances("bench-failover", List.of("a", "b"), settings,
                Map.of(LINK + ".yaml", route(table, topic, 7901)), TOKEN)) {
            cluster.start();
            String runner = cluster.awaitRunner(LINK, Duration.ofSeconds(90));
            AtomicLong next = new AtomicLong(1);
            writer.scheduleAtFixedRate(() -> TestServers.mariaDb().execute(BinlogWorkload.insert(
                    BinlogWorkload.DATABASE + "." + table, next.getAndIncrement(), 1, System.currentTimeMillis())),
                    0, 10, TimeUnit.MILLISECONDS);
            for (int r = 1; r <= rounds; r++) {
                await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.count(topic) > 0);
                String standby = runner.equals("a") ? "b" : "a";
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(standby), LINK)));
                long killedAt = System.nanoTime();
                cluster.instance(runner).kill();
                Thread.sleep(200);
                long atKill = ChangeTopic.count(topic);
                String elected = cluster.awaitRunner(LINK, Duration.ofSeconds(120));
                long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                        .until(() -> ChangeTopic.count(topic) > atKill);
                long firstRecordMs = (System.nanoTime() - killedAt) / 1_000_000;
                assertNotEquals(runner, elected);
                System.out.printf("failover round %d: %s killed, %s runs the link after %d ms, its first record after "
                        + "%d ms%n", r, runner, elected, electedMs, firstRecordMs);
                out.add(new long[]{electedMs, firstRecordMs});
                cluster.instance(runner).start();
                runner = elected;
            }
            assertEquals(1, cluster.mostRunners(LINK), "never two runners at once");
        } finally {
            writer.shutdownNow();
        }
        return out;
    }

    /** Rounds of the three settings, one after the other: rows/s of each run, by setting. */
    private static Map<String, List<Double>> throughput(TestingServer zookeeper, int changes, int rounds)
            throws Exception {
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String setting : List.of("zookeeper+jdbc", "none+jdbc", "none+file")) {
                String name = setting.replaceAll("[^a-z]", "_") + "_" + r;
                Map<String, String> settings = new HashMap<>(common());
                if (setting.endsWith("jdbc")) {
                    settings.putAll(SharedStateDatabase.fresh("sluice_bench_" + name));
                }
                if (setting.startsWith("zookeeper")) {
                    settings.putAll(zookeeper(zookeeper));
                    settings.put("sluice.cluster.instance-id", "solo");
                }
                double rate = linkRun(name, settings, changes, 7910 + r * 3 + runs.size());
                System.out.printf("throughput round %d, %s: %,.0f rows/s%n", r, setting, rate);
                runs.computeIfAbsent(setting, k -> new ArrayList<>()).add(rate);
            }
        }
        return runs;
    }

    /**
     * One instance with the link on table {@code cl_<name>}: started, paused, {@code changes} row changes written,
     * resumed; rows/s from the resume until recordsOut counts them all.
     */
    private static double linkRun(String name, Map<String, String> settings, int changes, int serverId)
            throws Exception {
        String table = "cl_" + name;
        String topic = "bench.cluster-" + name.replace('_', '-');
        BinlogWorkload.createTable(table);
        settings.put("sluice.api.token", TOKEN);
        try (SluiceProcess sluice = new SluiceProcess(Path.of("target", "bench-cluster-" + name), settings,
                Map.of(LINK + ".yaml", route(table, topic, serverId)))) {
            sluice.start();
            BinlogWorkload.inserts(table, 0, 1);
            await().atMost(Duration.ofSeconds(120)).until(() -> recordsOut(sluice) >= 1);
            api(sluice).post("/api/links/" + LINK + "/pause").then().statusCode(200);
            BinlogWorkload.mixed(table, changes, 10);
            long before = recordsOut(sluice);
            long resumed = System.nanoTime();
            api(sluice).post("/api/links/" + LINK + "/resume").then().statusCode(200);
            long deadline = resumed + TimeUnit.MINUTES.toNanos(10);
            while (recordsOut(sluice) < before + changes) {
                assertTrue(System.nanoTime() < deadline, "the link sends the " + changes + " changes");
                Thread.sleep(20);
            }
            double rate = changes / ((System.nanoTime() - resumed) / 1e9);
            assertTrue(ChangeTopic.count(topic) > 0, "the link wrote to its topic");
            return rate;
        }
    }

    private static long recordsOut(SluiceProcess sluice) {
        return api(sluice).header("X-Sluice-Scope", "local").get("/api/links").then().statusCode(200).extract()
                .jsonPath().getLong("find { it.id == '" + LINK + "' }.recordsOut");
    }

    private static RequestSpecification api(SluiceProcess sluice) {
        return RestAssured.given().baseUri(sluice.baseUrl()).header("Authorization", "Bearer " + TOKEN);
    }

    /** The source and the brokers; the file store's directory (unused with the JDBC store). */
    private static Map<String, String> common() {
        Map<String, String> settings = new HashMap<>(BinlogToKafkaKillIT.sources(7900));
        settings.put("sluice.state.dir", "state");
        return settings;
    }

    private static Map<String, String> zookeeper(TestingServer zookeeper) {
        return Map.of("sluice.cluster.kind", "zookeeper",
                "sluice.cluster.zookeeper.nodes", zookeeper.getConnectString(),
                "sluice.cluster.zookeeper.session-timeout", System.getProperty("bench.sessionTimeout", "10S"));
    }

    /** The link: the table's changes to {@code topic} in Canal JSON (the kill tests' route). */
    private static String route(String table, String topic, int serverId) {
        return BinlogToKafkaKillIT.route(LINK, topic, "databases: " + BinlogWorkload.DATABASE,
                "tables: " + BinlogWorkload.DATABASE + "." + table, "serverId: " + serverId);
    }

    private static long median(List<long[]> runs, int i) {
        long[] sorted = runs.stream().mapToLong(r -> r[i]).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static double best(List<Double> runs) {
        return runs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }
}
