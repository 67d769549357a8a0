package io.sluice.bench;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.config.WithDefault;
import io.sluice.binlog.BinlogToKafkaKillIT;
import io.sluice.binlog.ChangeTopic;
import io.sluice.cluster.ClusterConfig;
import io.sluice.testkit.ClusterInstances;
import io.sluice.testkit.KubernetesApi;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What several instances cost, with the packaged app ({@code target/quarkus-app}, so run through failsafe; see
 * BENCHMARKS.md for the command). Not part of the test run (the class name ends in neither Test nor IT).
 *
 * <p>(i) Failover time, with ZooKeeper and with Kubernetes Leases, the same rounds for each: two instances
 * {@code sluice-0} and {@code sluice-1}, a MySQL -> Kafka link fed 100 rows/s; SIGKILL of its runner, then the time until
 * the other shows the link running (elected and started), and until the first record the new runner appended to the
 * topic (the topic's end offsets grow again; the killed process can append nothing, and records in flight at the kill
 * are left to land during the first 200 ms, which no failover is faster than). {@code bench.rounds} rounds (5), the
 * killed instance started again as standby after each; median and spread printed.
 *
 * <p>ZooKeeper (curator-test's server): the session timeout {@code bench.sessionTimeout} (default: the app's
 * {@code sluice.cluster.zookeeper.session-timeout}, 10 s) bounds it from below: the other instance is elected only once
 * the killed one's session expired.
 *
 * <p>Kubernetes: fabric8's mock API with the test kit's kubelet stand-in ({@link KubernetesApi}), looking every
 * {@link KubernetesApi#KUBELET_RELIST} (1 s) as a kubelet's PLEG relist does: it notices the dead process within that
 * second and deletes its pod (a kubelet marks the pod not Ready and restarts the container in it; to camel-kubernetes
 * both make it no member). Lease times: {@code bench.leaseDuration}, {@code bench.renewDeadline},
 * {@code bench.retryPeriod}, {@code bench.handOverTimeout}, by default the app's (15 s, 10 s, 2 s, 3 s). What bounds the
 * failover is camel-kubernetes' KubernetesLeadershipController (4.17): a follower looks every retry period (times a
 * jitter of 1 to 1.2) at the Lease and at the Running and Ready pods; once the holder is no member it takes the Lease
 * over at once, without waiting for the Lease to expire (the renew time is never read), and then sleeps a full lease
 * duration before it acts as the leader, to let an old holder stop. So: up to 1 s (kubelet) + up to 1.2 x retry period +
 * lease duration, then the link's start. The renew deadline does not enter into it: it bounds how soon a holder cut off
 * from the API gives its links up.
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
    private static final List<String> INSTANCES = List.of("sluice-0", "sluice-1");

    /**
     * A coordination service the instances elect through: its name for the output ({@code what}, with the times used),
     * the settings of instance {@code id}, what to do once the instances exist and before they start ({@code placed}),
     * and whether an instance counts as a member that can be elected ({@code member}).
     */
    private record Coordination(String name, String what, Function<String, Map<String, String>> settings,
                                Consumer<ClusterInstances> placed, Predicate<String> member) {
    }

    @Test
    void failoverTimeAndClusterOverhead() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 5);
        try (TestingServer zookeeper = new TestingServer(true)) {
            Coordination zookeeperElections = zookeeper(zookeeper);
            List<long[]> zookeeperFailovers = failovers(zookeeperElections, rounds);
            String kubernetes;
            List<long[]> kubernetesFailovers;
            try (KubernetesApi k8s = new KubernetesApi(KubernetesApi.KUBELET_RELIST)) {
                Coordination kubernetesElections = kubernetes(k8s);
                kubernetes = kubernetesElections.what();
                kubernetesFailovers = failovers(kubernetesElections, rounds);
            }
            Map<String, List<Double>> throughput = throughput(zookeeperElections.settings().apply("solo"),
                    Integer.getInteger("bench.changes", 200_000), Integer.getInteger("bench.throughputRounds", 3));

            System.out.println();
            print(zookeeperElections.what(), zookeeperFailovers);
            print(kubernetes, kubernetesFailovers);
            double reference = best(throughput.get("none+jdbc"));
            throughput.forEach((setting, runs) -> System.out.printf(
                    "BENCH mysql->kafka link, %s: runs %s rows/s; best %,.0f rows/s, ratio to none+jdbc %.3f%n", setting,
                    runs.stream().map(r -> String.format("%,.0f", r)).collect(Collectors.joining(" / ")), best(runs),
                    best(runs) / reference));
            System.out.println();
        }
    }

    private static void print(String what, List<long[]> failovers) {
        System.out.printf("BENCH failover (%s), SIGKILL of the runner -> the other runs the link: %s ms; median %d ms%n",
                what, failovers.stream().map(f -> String.valueOf(f[0])).collect(Collectors.joining(" / ")),
                median(failovers, 0));
        System.out.printf("BENCH failover (%s), SIGKILL of the runner -> first record from the new runner in the topic: "
                        + "%s ms; median %d ms%n", what,
                failovers.stream().map(f -> String.valueOf(f[1])).collect(Collectors.joining(" / ")),
                median(failovers, 1));
    }

    /**
     * Rounds of kill -> failover with two instances electing through {@code coordination}: per round, ms to the other
     * running it and to its first record.
     */
    private static List<long[]> failovers(Coordination coordination, int rounds) throws Exception {
        String table = "cl_failover_" + coordination.name();
        String topic = "bench.cluster-failover-" + coordination.name();
        BinlogWorkload.createTable(table);
        Map<String, String> settings = new HashMap<>(common());
        settings.putAll(SharedStateDatabase.fresh("sluice_bench_failover_" + coordination.name()));
        List<long[]> out = new ArrayList<>();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (ClusterInstances cluster = new ClusterInstances("bench-failover-" + coordination.name(), INSTANCES,
                settings, coordination.settings(), Map.of(LINK + ".yaml", route(table, topic, 7901)), TOKEN)) {
            coordination.placed().accept(cluster);
            cluster.start();
            String runner = cluster.awaitRunner(LINK, Duration.ofSeconds(90));
            AtomicLong next = new AtomicLong(1);
            writer.scheduleAtFixedRate(() -> TestServers.mariaDb().execute(BinlogWorkload.insert(
                    BinlogWorkload.DATABASE + "." + table, next.getAndIncrement(), 1, System.currentTimeMillis())),
                    0, 10, TimeUnit.MILLISECONDS);
            System.out.printf("failover rounds, %s%n", coordination.what());
            for (int r = 1; r <= rounds; r++) {
                await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.count(topic) > 0);
                String standby = runner.equals(INSTANCES.get(0)) ? INSTANCES.get(1) : INSTANCES.get(0);
                // a standby that is no member yet (its pod not Ready) could not be elected: that is not failover time
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        "standby".equals(cluster.localState(cluster.instance(standby), LINK))
                                && coordination.member().test(standby));
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
                System.out.printf("failover round %d (%s): %s killed, %s runs the link after %d ms, its first record "
                        + "after %d ms%n", r, coordination.name(), runner, elected, electedMs, firstRecordMs);
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

    /** Elections through {@code zookeeper}, with the session timeout of bench.sessionTimeout or the app's default. */
    private static Coordination zookeeper(TestingServer zookeeper) {
        String session = System.getProperty("bench.sessionTimeout", appDefault(ClusterConfig.ZooKeeper.class,
                "sessionTimeout"));
        Map<String, String> settings = Map.of("sluice.cluster.kind", "zookeeper",
                "sluice.cluster.zookeeper.nodes", zookeeper.getConnectString(),
                "sluice.cluster.zookeeper.session-timeout", session);
        return new Coordination("zookeeper", "ZooKeeper, session timeout " + session, id -> settings, cluster -> { },
                id -> true);
    }

    /**
     * Elections through Leases of {@code k8s}, each instance in its pod, with the Lease times of the bench.* properties
     * or the app's defaults.
     */
    private static Coordination kubernetes(KubernetesApi k8s) {
        Class<?> config = ClusterConfig.Kubernetes.class;
        String lease = System.getProperty("bench.leaseDuration", appDefault(config, "leaseDuration"));
        String renew = System.getProperty("bench.renewDeadline", appDefault(config, "renewDeadline"));
        String retry = System.getProperty("bench.retryPeriod", appDefault(config, "retryPeriod"));
        String handOver = System.getProperty("bench.handOverTimeout", appDefault(ClusterConfig.class,
                "handOverTimeout"));
        String what = String.format("Kubernetes, lease-duration %s, renew-deadline %s, retry-period %s, "
                        + "hand-over-timeout %s; kubelet stand-in every %d ms", lease, renew, retry, handOver,
                KubernetesApi.KUBELET_RELIST.toMillis());
        Map<String, String> settings = new HashMap<>(
                KubernetesApi.settings("http://127.0.0.1:" + k8s.port(), lease, renew, retry, handOver));
        // the default data source is part of readiness: the kubelet stand-in would never see the pods Ready
        settings.put("quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"));
        settings.put("quarkus.datasource.password", "sluice-demo-pw");
        return new Coordination("kubernetes", what, id -> settings,
                cluster -> cluster.ids().forEach(pod -> k8s.runs(pod, cluster.instance(pod))), k8s::ready);
    }

    /** Rounds of the three settings, one after the other: rows/s of each run, by setting. */
    private static Map<String, List<Double>> throughput(Map<String, String> zookeeper, int changes, int rounds)
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
                    settings.putAll(zookeeper);
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

    /** The default of setting {@code method} of {@code config} ({@link ClusterConfig} or one of its groups). */
    private static String appDefault(Class<?> config, String method) {
        try {
            return config.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(config.getName() + " has no setting " + method, e);
        }
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
