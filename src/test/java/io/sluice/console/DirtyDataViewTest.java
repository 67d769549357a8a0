package io.sluice.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, tests 3 and 8: dirty records carry arbitrary text; markup in them shows as text on the dirty-data view (and
 * in the preview) and never runs. A dirty record is replayed from the view after its cause is fixed, and arrives.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class DirtyDataViewTest {

    private static final String LINK = "console-dirty";
    private static final String TABLE = "demo.console_dirty";
    // each would set window.__xss and the title if the page ran it
    static final String SCRIPT = "<script>window.__xss=1;document.title='xss'</script>";
    static final String IMG = "<img src=x onerror=\"window.__xss=2;document.title='xss'\">";

    @TestHTTPResource("/")
    URL base;

    @Test
    void markupInADirtyRecordShowsAsTextAndDoesNotRun() {
        TestServers.mariaDb().execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, qty INT, note VARCHAR(200))");
        LinkApi.addLink(LINK, "kafka-json:console.dirty?brokers={{kafka.bootstrap.servers}}",
                "adb:" + TABLE + "?dirtyDataMode=null");
        try (Browser b = Browser.open(base)) {
            // a JSON record whose qty cannot be an INT, and a record that is not JSON at all
            Fixtures.send("console.dirty", 0, 1, i -> Fixtures.json(Map.of("id", 1, "qty", IMG, "note", SCRIPT)));
            Fixtures.send("console.dirty", 1, 2, i -> SCRIPT + " not json " + IMG);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    api().get("/api/links/" + LINK + "/dirty").then().extract().jsonPath().getList("$").size() == 2);
            assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE + " WHERE id = 1 AND qty IS NULL"));

            b.signIn();
            b.go("#/links/" + LINK);
            b.find(By.cssSelector("#dirty-table tbody tr"));
            List<String> raws = b.driver.findElements(By.cssSelector("#dirty-table code.raw")).stream()
                    .map(WebElement::getText).toList();
            assertEquals(2, raws.size(), raws.toString());
            // the markup is visible literally, as the record's text
            assertTrue(raws.stream().anyMatch(t -> t.equals(SCRIPT + " not json " + IMG)), raws.toString());
            assertTrue(raws.stream().anyMatch(t -> t.contains(SCRIPT) && t.contains(IMG.replace("\"", "\\\""))), raws.toString());
            String reasons = b.find(By.cssSelector("#dirty-table tbody")).getText();
            assertTrue(reasons.contains("qty"), reasons);
            // the preview shows the same records, also as text
            b.find(By.cssSelector("#preview code.raw"));
            b.screenshot("details", By.tagName("header"));

            // nothing ran: no flag, the title unchanged, no element made of the records' markup
            assertNull(b.script("return window.__xss"));
            assertEquals("Sluice console", b.driver.getTitle());
            assertTrue(b.driver.findElements(By.cssSelector("#main img, #main script")).isEmpty(),
                    "no element from the records' markup");
        } finally {
            Fixtures.deleteLink(LINK);
        }
    }

    @Test
    void aRecordDirtyForATooShortColumnIsReplayedAfterTheColumnIsWidened() {
        String link = "console-replay";
        String table = "demo.console_replay";
        String note = "a note longer than eight";
        TestServers.mariaDb().execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, note VARCHAR(8))");
        LinkApi.addLink(link, "kafka-json:console.replay?brokers={{kafka.bootstrap.servers}}",
                "adb:" + table + "?dirtyDataMode=null");
        try (Browser b = Browser.open(base)) {
            Fixtures.send("console.replay", 0, 3, i -> Fixtures.json(Map.of("id", i, "note", i == 1 ? note : "short")));
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.rows(table) == 3);
            assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM " + table + " WHERE id = 1 AND note IS NULL"));

            b.signIn();
            b.go("#/links/" + link);
            String dirty = b.find(By.cssSelector("#dirty-table tbody")).getText();
            assertTrue(dirty.contains(note) && dirty.contains("note"), dirty);

            // the user fixes the cause, then replays from the view
            TestServers.mariaDb().execute("ALTER TABLE " + table + " MODIFY note VARCHAR(100)");
            b.click(By.id("replay"));
            b.waitForText(By.id("message"), t -> t.contains("Replayed 1"));
            assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM " + table + " WHERE id = 1 AND note = '" + note + "'"),
                    "the replayed record arrives");
            assertEquals(3, Fixtures.rows(table));
            // written, it leaves the dead-letter channel
            b.find(By.xpath("//section[@id='dirty']//p[text()='No dirty data.']"));
            assertEquals(0, api().get("/api/links/" + link + "/dirty").then().extract().jsonPath().getList("$").size());
        } finally {
            Fixtures.deleteLink(link);
        }
    }
}
