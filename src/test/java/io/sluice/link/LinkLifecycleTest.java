package io.sluice.link;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sluice.link.ApiTest.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shipped example link (routes/example-orders.yaml) against the real broker and MariaDB: records move, pause
 * holds them back, resume and stop/start lose and duplicate nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class LinkLifecycleTest {

    private static final String LINK = "example-orders";

    @Test
    void pauseResumeStopStartMoveEveryRecordOnce() throws Exception {
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            send(producer, 1_000, 1_050);
            awaitRows(1_000, 1_050, 50);
            api().get("/api/links").then().statusCode(200)
                    .body("id", hasItem(LINK))
                    .body("find { it.id == 'example-orders' }.state", equalTo("running"))
                    .body("find { it.id == 'example-orders' }.source", equalTo("kafka:demo.orders"))
                    .body("find { it.id == 'example-orders' }.recordsOut", greaterThan(49));

            api().post("/api/links/" + LINK + "/pause").then().statusCode(200).body("state", equalTo("paused"));
            send(producer, 1_050, 1_100);
            Thread.sleep(3_000);
            assertEquals(0, rows(1_050, 1_100), "no record may arrive while the link is paused");
            api().post("/api/links/" + LINK + "/start").then().statusCode(409);

            api().post("/api/links/" + LINK + "/resume").then().statusCode(200).body("state", equalTo("running"));
            awaitRows(1_000, 1_100, 100);
            api().post("/api/links/" + LINK + "/resume").then().statusCode(409);

            api().post("/api/links/" + LINK + "/stop").then().statusCode(200).body("state", equalTo("stopped"));
            send(producer, 1_100, 1_120);
            Thread.sleep(2_000);
            assertEquals(0, rows(1_100, 1_120), "no record may arrive while the link is stopped");
            api().post("/api/links/" + LINK + "/stop").then().statusCode(409);
            api().post("/api/links/" + LINK + "/start").then().statusCode(200).body("state", equalTo("running"));
            awaitRows(1_000, 1_120, 120);
        }
        // the run log tells the story
        api().get("/api/links/" + LINK).then().statusCode(200)
                .body("runLog.event", hasItem("paused"))
                .body("runLog.event", hasItem("resumed"))
                .body("runLog.event", hasItem("stopped"));
    }

    private static void send(KafkaProducer<String, String> producer, int from, int to) throws Exception {
        for (int id = from; id < to; id++) {
            producer.send(new ProducerRecord<>("demo.orders", String.valueOf(id),
                    "{\"id\":" + id + ",\"customer\":\"c" + id + "\",\"amount\":" + id + ".25,\"created_at\":\"2026-01-02T03:04:05\"}")).get();
        }
    }

    private static long rows(int from, int to) {
        return TestServers.queryLong("SELECT COUNT(*) FROM demo.orders WHERE id >= " + from + " AND id < " + to);
    }

    private static void awaitRows(int from, int to, long expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows(from, to) >= expected);
        assertEquals(expected, rows(from, to));
        // every value arrived intact
        assertEquals(expected, TestServers.queryLong("SELECT COUNT(*) FROM demo.orders WHERE id >= " + from + " AND id < "
                + to + " AND customer = CONCAT('c', id) AND amount = id + 0.25"));
    }
}
