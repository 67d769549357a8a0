package io.sluice.adb;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka -> AnalyticDB link when things go wrong: the database goes away mid-stream, the password is wrong or
 * changes under a running link, the destination table is missing, and two instances share the partitions.
 */
@QuarkusTest
class KafkaToAdbFailuresTest {

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    private static void addLink(String id, String topic, String adbUri, Map<String, Object> sourceOptions) {
        StringBuilder src = new StringBuilder(sourceOptions.containsKey("dataSource") ? ""
                : "        brokers: \"{{kafka.bootstrap.servers}}\"\n");
        sourceOptions.forEach((k, v) -> src.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        String yaml = """
                - route:
                    id: %s
                    from:
                      uri: "kafka-json:%s"
                      parameters:
                %s      steps:
                        - to: "%s"
                """.formatted(id, topic, src, adbUri);
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    private static void send(String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            for (int id = from; id < to; id++) {
                p.send(new ProducerRecord<>(topic, String.valueOf(id), "{\"id\":" + id + ",\"v\":\"v" + id + "\"}"));
            }
            p.flush();
        }
    }

    private static long count(String table) {
        return TestServers.queryLong("SELECT COUNT(*) FROM " + table);
    }

    @Test
    void theDatabaseGoingAwayMidStreamIsRetriedWithBackoffAndNothingIsLost() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.outage (id INT PRIMARY KEY, v VARCHAR(20))");
        createTopic("outage", 3);
        addLink("outage", "outage", "adb:demo.outage?dataSource=flaky",
                Map.of("retryBackoffMs", 200, "maxRetryBackoffMs", 1000, "batchSize", 100));
        send("outage", 0, 1_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("demo.outage") == 1_000);

        TestServers.mariaDbProxy().cut();
        try {
            send("outage", 1_000, 3_000);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    api().get("/api/links/outage").then().extract().<Integer>path("recordsFailed") > 0);
            Thread.sleep(3_000);
            // retrying: an outage is retried, not a reason to give up
            api().get("/api/links/outage").then().body("state", equalTo("retrying"))
                    .body("lastError", containsString("demo.outage"));
            assertEquals(1_000, count("demo.outage"), "nothing reached the database while it was down");
        } finally {
            TestServers.mariaDbProxy().restore();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("demo.outage") == 3_000);
        assertEquals(3_000, TestServers.queryLong("SELECT COUNT(DISTINCT id) FROM demo.outage WHERE v = CONCAT('v', id)"));
        api().delete("/api/links/outage").then().statusCode(204);
    }

    /**
     * A batch whose write waits on a row lock another transaction holds (the stall of the two writer connections was
     * this, with the other transaction in the same process): while the statement waits inside the database the link
     * is not shown as running, after the lock wait timeout (1205) it is retrying with the reason, and only once a
     * batch got through it is running again.
     */
    @Test
    void aBatchWaitingOnALockIsShownAsRetryingWithTheReasonUntilABatchGetsThrough() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.lockwait (id INT PRIMARY KEY, v VARCHAR(20))");
        createTopic("lockwait", 1);
        addLink("lockwait", "lockwait", "adb:demo.lockwait?dataSource=short-lock-wait",
                Map.of("retryBackoffMs", 500, "maxRetryBackoffMs", 1000));
        send("lockwait", 0, 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("demo.lockwait") == 100);
        api().get("/api/links/lockwait").then().body("state", equalTo("running"));

        try (java.sql.Connection other = TestServers.mariaDb().adminConnection()) {
            other.setAutoCommit(false);
            try (java.sql.Statement st = other.createStatement()) {
                st.executeQuery("SELECT * FROM demo.lockwait WHERE id = 50 FOR UPDATE").close();
            }
            try (KafkaProducer<String, String> p = TestServers.producer()) {
                p.send(new ProducerRecord<>("lockwait", "50", "{\"id\":50,\"v\":\"changed\"}"));
                p.flush();
            }
            // the statement waits inside the database: after a few seconds that is shown, not "running"
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> api().get("/api/links/lockwait").then()
                    .body("state", equalTo("retrying")).body("lastError", containsString("demo.lockwait")));
            // the lock wait timeout (8 s here) fails the batch: retrying with the database's reason
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/lockwait").then()
                    .body("state", equalTo("retrying")).body("lastError", containsString("1205")));
            Thread.sleep(1_000);
            api().get("/api/links/lockwait").then().body("state", equalTo("retrying"));
            other.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                TestServers.queryLong("SELECT COUNT(*) FROM demo.lockwait WHERE v = 'changed'") == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                api().get("/api/links/lockwait").then().body("state", equalTo("running")));
        api().delete("/api/links/lockwait").then().statusCode(204);
    }

    @Test
    void aWrongPasswordIsAClearRefusalAndTheSecretIsNotShown() {
        api().contentType("application/yaml").body("""
                - route:
                    id: wrong-password
                    from:
                      uri: "kafka-json:wrong.password"
                      parameters:
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to: "adb:demo.events?dataSource=wrong-password"
                """.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("wrong-password"))
                .body("error", containsString("ccess denied"))
                .body("error", not(containsString("not-the-password")));
        api().get("/api/links/wrong-password").then().statusCode(404);
    }

    @Test
    void aPasswordChangedUnderARunningLinkFailsItOnceWithoutARetryStorm() throws Exception {
        TestServers.mariaDb().execute("CREATE USER 'rotating'@'%' IDENTIFIED BY 'rotating-pw'; "
                + "GRANT SELECT, INSERT, UPDATE, CREATE ON demo.* TO 'rotating'@'%'; "
                + "CREATE TABLE demo.rotation (id INT PRIMARY KEY, v VARCHAR(20))");
        addLink("rotation", "rotation", "adb:demo.rotation?dataSource=rotating", Map.of("retryBackoffMs", 200));
        send("rotation", 0, 100);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("demo.rotation") == 100);

        TestServers.mariaDb().execute("ALTER USER 'rotating'@'%' IDENTIFIED BY 'rotated-elsewhere'");
        for (long id : TestServers.queryLongs("SELECT id FROM information_schema.processlist WHERE user = 'rotating'")) {
            TestServers.mariaDb().execute("KILL " + id);
        }
        long deniedBefore = deniedLogins();
        send("rotation", 100, 200);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "failed".equals(api().get("/api/links/rotation").then().extract().path("state")));
        api().get("/api/links/rotation").then()
                .body("lastError", containsString("ccess denied"))
                .body("lastError", not(containsString("rotated-elsewhere")));
        Thread.sleep(3_000);
        long attempts = deniedLogins() - deniedBefore;
        assertTrue(attempts <= 5, "a failed link stops trying to log in; refused logins: " + attempts);
        assertEquals(100, count("demo.rotation"));
        api().delete("/api/links/rotation").then().statusCode(204);
    }

    private static long deniedLogins() {
        return TestServers.queryLong("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                + "WHERE VARIABLE_NAME = 'ACCESS_DENIED_ERRORS'");
    }

    @Test
    void aMissingDestinationTableIsRefusedAtStart() {
        api().contentType("application/yaml").body("""
                - route:
                    id: missing-table
                    from:
                      uri: "kafka-json:missing.table"
                      parameters:
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to: "adb:demo.no_such_table"
                """.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("demo.no_such_table"))
                .body("error", containsString("does not exist"));
    }

    @Test
    void twoInstancesOfALinkShareThePartitionsAndTogetherWriteEverythingOnce() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.shared (id INT PRIMARY KEY, v VARCHAR(20))");
        createTopic("shared", 4);
        // two links with one consumer group stand for the same link running in two Sluice instances
        Map<String, Object> group = Map.of("groupId", "sluice-shared", "dataSource", "test-cluster", "batchSize", 50);
        addLink("shared-a", "shared", "adb:demo.shared", group);
        addLink("shared-b", "shared", "adb:demo.shared", group);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var members = admin.describeConsumerGroups(List.of("sluice-shared")).all().get().get("sluice-shared").members();
                return members.size() == 2 && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
        send("shared", 0, 4_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("demo.shared") == 4_000);
        long a = api().get("/api/links/shared-a").then().extract().<Integer>path("recordsOut");
        long b = api().get("/api/links/shared-b").then().extract().<Integer>path("recordsOut");
        assertTrue(a > 0 && b > 0, "both instances took partitions: " + a + " + " + b);
        assertEquals(4_000, a + b, "each record was written by exactly one instance");
        api().delete("/api/links/shared-a").then().statusCode(204);
        api().delete("/api/links/shared-b").then().statusCode(204);
    }
}
