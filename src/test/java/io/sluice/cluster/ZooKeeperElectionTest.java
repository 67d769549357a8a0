package io.sluice.cluster;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testkit.SharedStateDatabase;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One instance of a ZooKeeper cluster (curator-test's in-process server): its elected link runs once the instance wins
 * the link's election, readiness says where it runs; when ZooKeeper goes away the instance stops the link (it could
 * no longer know that no other instance runs it) and turns not-ready, naming ZooKeeper; when ZooKeeper is back it is
 * elected again and the link runs. A link whose source shares its work (Kafka) is not elected. Links cannot be added
 * through the API of a cluster's instance (every instance must define the same links).
 */
@QuarkusTest
@QuarkusTestResource(value = ZooKeeperElectionTest.OneInstance.class, restrictToAnnotatedClass = true)
class ZooKeeperElectionTest {

    static final String ELECTED = "ticking";
    static TestingServer zookeeper;

    /** The application alone in a ZooKeeper cluster, with a timer link and a Kafka link in its routes directory. */
    public static class OneInstance implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                zookeeper = new TestingServer(true);
                Path routes = Files.createTempDirectory("sluice-cluster-routes-");
                Files.writeString(routes.resolve("ticking.yaml"), """
                        - route:
                            id: ticking
                            from:
                              uri: "timer:tick?period=200"
                              steps:
                                - log: "tick"
                        """);
                Files.writeString(routes.resolve("shared.yaml"), """
                        - route:
                            id: shared
                            autoStartup: false
                            from:
                              uri: "kafka:cluster-shared?groupId=cluster-shared"
                              steps:
                                - log: "shared"
                        """);
                Map<String, String> config = new HashMap<>(SharedStateDatabase.fresh("sluice_cluster_solo"));
                config.put("quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"));
                config.put("quarkus.datasource.password", "sluice-demo-pw");
                config.put("kafka.bootstrap.servers", TestServers.kafka().bootstrapServers());
                config.put("sluice.api.token", SluiceTestResource.TOKEN);
                config.put("sluice.state.dir", Files.createTempDirectory("sluice-cluster-state-").toString());
                config.put("sluice.links.routes-dir", routes.toString());
                config.put("sluice.cluster.kind", "zookeeper");
                config.put("sluice.cluster.instance-id", "solo");
                config.put("sluice.cluster.zookeeper.nodes", zookeeper.getConnectString());
                config.put("sluice.cluster.zookeeper.session-timeout", "4S");
                config.put("sluice.cluster.zookeeper.connection-timeout", "2S");
                return config;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            try {
                zookeeper.close();
            } catch (Exception ignored) {
                // the JVM ends
            }
        }
    }

    @Test
    void runsItsLinkWhileElectedAndStopsItWhenZooKeeperIsGone() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> ELECTED_STATE().equals("running"));
        JsonPath links = api().get("/api/links").then().statusCode(200).extract().jsonPath();
        assertEquals("solo", links.getString("find { it.id == 'ticking' }.runner"));
        assertEquals(null, links.getString("find { it.id == 'shared' }.runner"), "a Kafka link runs on every instance");
        assertEquals("stopped", links.getString("find { it.id == 'shared' }.state"));
        String readyBody = api().get("/q/health/ready").then().statusCode(200).extract().asString();
        System.out.println("READY " + readyBody);
        JsonPath ready = JsonPath.from(readyBody);
        assertEquals("running (runs here)", ready.getString("checks.find { it.name == 'links' }.data.ticking"));
        assertEquals("solo", ready.getString("checks.find { it.name == 'links' }.data.instance"));

        api().contentType("application/yaml").body(("- route:\n    id: added\n    from:\n      uri: \"timer:x\"\n"
                        + "      steps:\n        - log: \"x\"\n").getBytes())
                .post("/api/links").then().statusCode(409).body("error", containsString("route files every instance reads"));

        long gone = System.nanoTime();
        zookeeper.stop();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ELECTED_STATE().equals("standby"));
        System.out.printf("ZooKeeper gone: link stopped after %d ms (session timeout 4000 ms)%n",
                (System.nanoTime() - gone) / 1_000_000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'links' }.data.coordination", containsString("ZooKeeper")));

        zookeeper.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> ELECTED_STATE().equals("running"));
        api().get("/q/health/ready").then().statusCode(200);
        assertTrue(api().get("/api/links/ticking").then().extract().jsonPath().getList("runLog.message").stream()
                .anyMatch(m -> String.valueOf(m).contains("another instance is elected")), "the run log says why it stopped");
    }

    private static String ELECTED_STATE() {
        return api().header("X-Sluice-Scope", "local").get("/api/links").then().statusCode(200).extract().jsonPath()
                .getString("find { it.id == '" + ELECTED + "' }.state");
    }
}
