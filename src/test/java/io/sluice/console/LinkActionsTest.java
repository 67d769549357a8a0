package io.sluice.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 17, test 2: pause and resume a link from the links page; nothing arrives while paused, nothing is lost. */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class LinkActionsTest {

    private static final String LINK = "console-pause";
    private static final String TABLE = "demo.console_pause";

    @TestHTTPResource("/")
    URL base;

    @Test
    void pausedFromThePageNothingArrivesAndResumedNothingIsLost() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, note VARCHAR(20))");
        LinkApi.addLink(LINK, "kafka-json:console.pause?brokers={{kafka.bootstrap.servers}}", "adb:" + TABLE);
        try (Browser b = Browser.open(base)) {
            Fixtures.send("console.pause", 0, 200, i -> "{\"id\":" + i + ",\"note\":\"n" + i + "\"}");
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.rows(TABLE) == 200);

            b.signIn();
            b.waitForText(Browser.cell(LINK, "out"), t -> Browser.count(t) == 200);
            b.click(Browser.action(LINK, "pause"));
            b.waitForText(Browser.cell(LINK, "state"), "paused"::equals);
            api().get("/api/links/" + LINK).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("paused"));

            Fixtures.send("console.pause", 200, 500, i -> "{\"id\":" + i + ",\"note\":\"n" + i + "\"}");
            Thread.sleep(4_000); // several of the source's polls
            assertEquals(200, Fixtures.rows(TABLE), "nothing arrives while the link is paused");
            assertEquals("paused", b.find(Browser.cell(LINK, "state")).getText());

            b.click(Browser.action(LINK, "resume"));
            b.waitForText(Browser.cell(LINK, "state"), "running"::equals);
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.rows(TABLE) >= 500);
            // the page's counters follow by themselves (polling), without a reload
            b.waitForText(Browser.cell(LINK, "out"), t -> Browser.count(t) == 500);
        } finally {
            Fixtures.deleteLink(LINK);
        }
        assertEquals(500, Fixtures.rows(TABLE), "every record once: none lost");
        assertEquals(500, TestServers.queryLong("SELECT COUNT(DISTINCT id) FROM " + TABLE + " WHERE id BETWEEN 0 AND 499"
                + " AND note = CONCAT('n', id)"));
    }
}
