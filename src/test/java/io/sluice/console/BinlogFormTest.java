package io.sluice.console;

import com.alibaba.otter.canal.protocol.FlatMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.binlog.ChangeTopic;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, tests 4 and 5: a MySQL -> Kafka link created by ticking two tables in the object tree shows its full load
 * and then runs; a table without a key fails the precheck with its fix, and nothing is saved, until the choice to
 * proceed with tables without a primary key makes it a warning; a precheck warning (an
 * invisible column) is shown as a warning with its fix and leaves Save enabled. Also the data sources page with its
 * connectivity test.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class BinlogFormTest {

    static final String SOURCE = "test-mariadb";

    @TestHTTPResource("/")
    URL base;

    @Test
    void aLinkOfTwoTickedTablesShowsItsFullLoadThenRuns() {
        String link = "console-binlog";
        String topic = "console.binlog";
        TestServers.mariaDb().execute("""
                CREATE TABLE demo.console_a (id INT PRIMARY KEY, v VARCHAR(20));
                CREATE TABLE demo.console_b (id INT PRIMARY KEY, v VARCHAR(20));
                CREATE TABLE demo.console_c (id INT PRIMARY KEY, v VARCHAR(20));
                INSERT INTO demo.console_a SELECT seq, CONCAT('a', seq) FROM demo.seq_1_to_3000;
                INSERT INTO demo.console_b SELECT seq, CONCAT('b', seq) FROM demo.seq_1_to_2000;
                INSERT INTO demo.console_c SELECT seq, CONCAT('c', seq) FROM demo.seq_1_to_10;
                ANALYZE TABLE demo.console_a, demo.console_b;
                """);
        try (Browser b = Browser.open(base)) {
            b.signIn();
            b.go("#/create/mysql-to-kafka");
            b.type(By.name("id"), link);
            b.choose(By.name("sourceDataSource"), SOURCE);
            b.type(By.name("serverId"), "7301");
            b.type(By.name("topic"), topic);
            b.click(By.cssSelector("input[data-object='demo.console_a']"));
            b.click(By.cssSelector("input[data-object='demo.console_b']"));
            // throttled, so the full load lasts long enough to be watched (10 s)
            b.type(By.name("fullRowsPerSecond"), "500");
            b.find(By.cssSelector("#selected-objects tr[data-object='demo.console_b']"));
            String yaml = b.find(By.id("yaml")).getText();
            assertTrue(yaml.contains("tables: \"demo\\\\.console_a,demo\\\\.console_b\""), yaml);
            b.precheckAndSave(link);

            b.go("#/links");
            String progress;
            try {
                progress = b.waitForText(Browser.cell(link, "full-load"), t -> t.startsWith("full load"));
            } catch (org.openqa.selenium.TimeoutException e) { // what the page and the API showed instead
                throw new AssertionError("the full load was not shown; the row showed '"
                        + b.find(Browser.row(link)).getText() + "', the API: "
                        + api().get("/api/links/" + link).asString(), e);
            }
            assertTrue(progress.contains("/2"), progress);
            b.waitForText(Browser.cell(link, "full-load"), t -> t.contains("tables 2/2"));
            b.waitForText(Browser.cell(link, "state"), "running"::equals);
            TestServers.mariaDb().execute("INSERT INTO demo.console_a VALUES (3001, 'a3001')");
            await().atMost(Duration.ofSeconds(60)).until(() -> rowsIn(topic, "console_a") == 3001);
            assertEquals(2000, rowsIn(topic, "console_b"));
            assertEquals(0, rowsIn(topic, "console_c"), "the table not ticked is not in the link");
            b.waitForText(Browser.cell(link, "out"), t -> Browser.count(t) >= 5001);
        } finally {
            Fixtures.deleteLink(link);
        }
    }

    @Test
    void aTableWithoutAKeyFailsThePrecheckWithItsFixAndNothingIsSaved() {
        String link = "console-nokey";
        TestServers.mariaDb().execute("CREATE TABLE demo.console_nokey (v VARCHAR(20))");
        try (Browser b = Browser.open(base)) {
            precheckOneTable(b, link, "7302", "console.nokey", "demo.console_nokey");
            String item = b.find(By.cssSelector("#check-result tr[data-item='primary key'][data-status='fail']")).getText();
            assertTrue(item.contains("demo.console_nokey"), item);
            assertTrue(item.contains("add a primary key"), "the fix is shown: " + item);
            assertTrue(item.contains("tablesWithoutKey=sync"), "the fix names the choice: " + item);
            assertFalse(b.find(By.id("save")).isEnabled(), "Save stays disabled after a failed precheck");
            b.screenshot("precheck", By.cssSelector(".actions"));

            // the choice to proceed (DTS's "ignore the precheck alert"): the item becomes a warning, Save is enabled
            b.click(By.name("tablesWithoutKey"));
            String yaml = b.find(By.id("yaml")).getText();
            assertTrue(yaml.contains("tablesWithoutKey: \"sync\""), yaml);
            b.click(By.id("precheck"));
            String warning = b.find(By.cssSelector("#check-result tr[data-item='primary key'][data-status='warn']")).getText();
            assertTrue(warning.contains("demo.console_nokey") && warning.contains("may contain duplicate records"), warning);
            b.wait(d -> d.findElement(By.id("save")).isEnabled());
        }
        api().get("/api/links/" + link).then().statusCode(404);
    }

    @Test
    void aPrecheckWarningIsShownWithItsFixAndSaveStaysPossible() {
        String link = "console-invisible";
        TestServers.mariaDb().execute("CREATE TABLE demo.console_invisible (id INT PRIMARY KEY, hidden_col INT INVISIBLE)");
        try (Browser b = Browser.open(base)) {
            precheckOneTable(b, link, "7303", "console.invisible", "demo.console_invisible");
            String item = b.find(By.cssSelector("#check-result tr[data-item='invisible columns'][data-status='warn']")).getText();
            assertTrue(item.contains("demo.console_invisible.hidden_col"), item);
            assertTrue(item.contains("SET VISIBLE"), "the fix is shown: " + item);
            // shown in the warning colour (--warn: #9a6700), neither as passed nor as failed
            String colour = b.find(By.cssSelector("#check-result tr[data-item='invisible columns'] .check")).getCssValue("color");
            assertTrue(colour.contains("154, 103, 0"), "the warning colour: " + colour);
            b.wait(d -> d.findElement(By.id("save")).isEnabled());
            assertTrue(b.find(By.id("save-note")).getText().contains("with warnings"), b.find(By.id("save-note")).getText());
        }
        api().get("/api/links/" + link).then().statusCode(404);
    }

    /** Signs in, fills the MySQL -> Kafka form with one ticked table and runs the precheck. */
    private static void precheckOneTable(Browser b, String link, String serverId, String topic, String table) {
        b.signIn();
        b.go("#/create/mysql-to-kafka");
        b.type(By.name("id"), link);
        b.choose(By.name("sourceDataSource"), SOURCE);
        b.type(By.name("serverId"), serverId);
        b.type(By.name("topic"), topic);
        b.click(By.cssSelector("input[data-object='" + table + "']"));
        b.click(By.id("precheck"));
    }

    @Test
    void theDataSourcesPageListsTheDeclaredSourcesAndTestsThem() {
        try (Browser b = Browser.open(base)) {
            b.signIn();
            b.go("#/data-sources");
            By row = By.cssSelector("#data-sources tr[data-source='mysql/" + SOURCE + "']");
            String text = b.find(row).getText();
            assertTrue(text.contains("sluice"), "the account is shown: " + text);
            assertFalse(b.driver.getPageSource().contains("sluice-demo-pw"), "no password on the page");
            b.click(By.cssSelector("#data-sources tr[data-source='mysql/" + SOURCE + "'] button[data-action='test']"));
            b.waitForText(By.cssSelector("#data-sources tr[data-source='mysql/" + SOURCE + "'] .test-result"),
                    t -> t.startsWith("OK"));
            b.click(By.cssSelector("#data-sources tr[data-source='kafka/dead-cluster'] button[data-action='test']"));
            b.waitForText(By.cssSelector("#data-sources tr[data-source='kafka/dead-cluster'] .test-result"),
                    t -> t.startsWith("Failed"));
            b.screenshot("data-sources", By.tagName("header"));
        }
    }

    /** Rows of {@code table} in the Canal JSON messages of {@code topic} (inserts of the full load and after). */
    private static long rowsIn(String topic, String table) {
        List<FlatMessage> messages = ChangeTopic.messages(topic);
        return messages.stream().filter(m -> table.equals(m.getTable()) && m.getData() != null)
                .mapToLong(m -> m.getData().size()).sum();
    }
}
