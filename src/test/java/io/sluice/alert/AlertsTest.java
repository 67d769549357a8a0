package io.sluice.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import io.sluice.testkit.WebhookReceiver;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "link failed" and "lag" alerts end to end: real links over the test kit's Kafka and MariaDB, the alerts POSTed
 * to the test kit's webhook receiver (SluiceTestResource: evaluated every second, repeated every 3 s) and listed by
 * GET /api/alerts.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class AlertsTest {

    private static final WebhookReceiver HOOK = WebhookReceiver.shared();

    private static Predicate<JsonNode> alert(String link, String rule, String status) {
        return j -> link.equals(j.path("link").asText()) && rule.equals(j.path("rule").asText())
                && status.equals(j.path("status").asText());
    }

    private static List<Map<String, Object>> firing() {
        return api().get("/api/alerts").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static boolean listed(String link, String rule) {
        return firing().stream().anyMatch(a -> link.equals(a.get("link")) && rule.equals(a.get("rule")));
    }

    private static void addLink(String id, String table) {
        LinkApi.addLink(id, "kafka-json:" + id + "?brokers={{kafka.bootstrap.servers}}", "adb:demo." + table);
    }

    @Test
    void aLinkStoppedByDirtyDataRaisesTheFailedAlertUntilItRunsAgain() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.alert_failed (id INT PRIMARY KEY, note VARCHAR(8))");
        TestServers.mariaDb().execute("CREATE TABLE demo.alert_quiet (id INT PRIMARY KEY, note VARCHAR(8))");
        addLink("alert-failed", "alert_failed"); // dirtyDataMode stop, the default
        addLink("alert-quiet", "alert_quiet"); // sluice.alerts.links."alert-quiet".failed=false
        String secret = "s3cr3t-in-the-record";
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            // too long for VARCHAR(8), and what the error repeats of it looks like a credential
            p.send(new ProducerRecord<>("alert-failed", "k", "{\"id\":1,\"note\":\"token=" + secret + "\"}")).get();
            p.send(new ProducerRecord<>("alert-quiet", "k", "{\"id\":1,\"note\":\"much too long\"}")).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !HOOK.received(alert("alert-failed", "failed", "firing")).isEmpty());
        JsonNode first = HOOK.received(alert("alert-failed", "failed", "firing")).get(0).json();
        assertEquals("failed", first.path("state").asText(), first.toString());
        assertTrue(first.path("lastError").asText().contains("dirty data"), first.toString());
        assertTrue(first.path("message").asText().contains("alert-failed"), first.toString());
        assertFalse(first.path("since").asText().isEmpty(), first.toString());
        assertTrue(HOOK.mentioning(secret).isEmpty(), "the webhook got the secret: " + HOOK.mentioning(secret));

        Map<String, Object> shown = firing().stream()
                .filter(a -> "alert-failed".equals(a.get("link")) && "failed".equals(a.get("rule"))).findFirst().orElseThrow();
        assertNotNull(shown.get("since"));
        assertNotNull(shown.get("lastSent"), String.valueOf(shown));
        assertNull(shown.get("webhookError"), String.valueOf(shown));
        assertTrue(String.valueOf(shown.get("message")).contains("dirty data"), String.valueOf(shown));
        assertFalse(String.valueOf(shown).contains(secret), String.valueOf(shown));

        // sent again after the repeat interval (3 s) while it keeps firing
        await().atMost(Duration.ofSeconds(30)).until(() -> HOOK.received(alert("alert-failed", "failed", "firing")).size() >= 2);
        List<WebhookReceiver.Received> sent = HOOK.received(alert("alert-failed", "failed", "firing"));
        long apart = Duration.between(sent.get(0).at(), sent.get(1).at()).toMillis();
        assertTrue(apart >= 2_500, "repeated after " + apart + " ms, before the 3 s repeat interval");

        // the link with its failed alert turned off is failed too, and raised nothing
        api().get("/api/links/alert-quiet").then().body("state", equalTo("failed"));
        assertTrue(HOOK.received(j -> "alert-quiet".equals(j.path("link").asText())).isEmpty());
        assertFalse(listed("alert-quiet", "failed"));

        // fixed and started: resolved, once, and no longer listed
        TestServers.mariaDb().execute("ALTER TABLE demo.alert_failed MODIFY note VARCHAR(64)");
        api().post("/api/links/alert-failed/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> TestServers.queryLong("SELECT COUNT(*) FROM demo.alert_failed") == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !HOOK.received(alert("alert-failed", "failed", "resolved")).isEmpty());
        JsonNode resolved = HOOK.received(alert("alert-failed", "failed", "resolved")).get(0).json();
        assertEquals("running", resolved.path("state").asText(), resolved.toString());
        assertEquals(first.path("since").asText(), resolved.path("since").asText());
        assertFalse(listed("alert-failed", "failed"));
        int firings = HOOK.received(alert("alert-failed", "failed", "firing")).size();
        Thread.sleep(4_000); // longer than the repeat interval: a resolved alert is not sent again
        assertEquals(firings, HOOK.received(alert("alert-failed", "failed", "firing")).size());
        assertEquals(1, HOOK.received(alert("alert-failed", "failed", "resolved")).size());

        api().delete("/api/links/alert-failed").then().statusCode(204);
        api().delete("/api/links/alert-quiet").then().statusCode(204);
    }

    /**
     * Lag as LinkStats measures it: now minus the source time of the newest record written. Records an hour old (a
     * backlog read late) keep arriving, so the link is an hour behind: above its 600 s threshold.
     */
    @Test
    void aLinkBehindItsSourceRaisesTheLagAlert() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.alert_lag (id INT PRIMARY KEY, n INT)");
        addLink("alert-lag", "alert_lag");
        AtomicBoolean backlog = new AtomicBoolean(true);
        Thread old = new Thread(() -> {
            try (KafkaProducer<String, String> p = TestServers.producer()) {
                for (int i = 0; backlog.get(); i++) {
                    long anHourAgo = System.currentTimeMillis() - 3_600_000;
                    p.send(new ProducerRecord<>("alert-lag", null, anHourAgo, "k", "{\"id\":" + i + ",\"n\":" + i + "}"));
                    p.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        old.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !HOOK.received(alert("alert-lag", "lag", "firing")).isEmpty());
            JsonNode fired = HOOK.received(alert("alert-lag", "lag", "firing")).get(0).json();
            assertEquals(600, fired.path("threshold").asLong(), fired.toString());
            assertTrue(fired.path("lagSeconds").asDouble() > 3_000, fired.toString());
            assertEquals("running", fired.path("state").asText(), fired.toString());
            assertTrue(listed("alert-lag", "lag"));
        } finally {
            backlog.set(false);
            old.join();
        }
        // caught up: the source has nothing older waiting, so the lag falls to 0 and the alert resolves
        await().atMost(Duration.ofSeconds(60)).until(() -> !HOOK.received(alert("alert-lag", "lag", "resolved")).isEmpty());
        assertFalse(listed("alert-lag", "lag"));
        api().delete("/api/links/alert-lag").then().statusCode(204);
    }
}
