package io.sluice.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.net.URL;
import java.time.Duration;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, test 1: a Kafka -> AnalyticDB link created with the console's form (a mapping override, dirty data as
 * NULL): its rows arrive in MariaDB and its counters move on the links page.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class KafkaToAdbFormTest {

    static final String LINK = "console-orders";
    static final String TABLE = "demo.console_orders";
    static final String TOPIC = "console.orders";

    @TestHTTPResource("/")
    URL base;

    static String order(int i) {
        return "{\"id\":" + i + ",\"buyer\":{\"name\":\"c" + i + "\"},\"amount\":" + i + ".25,\"qty\":" + i + "}";
    }

    @Test
    void aLinkCreatedWithTheFormMovesRowsAndItsCountersMove() {
        TestServers.mariaDb().execute("CREATE TABLE " + TABLE
                + " (id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2), qty INT)");
        Fixtures.send(TOPIC, 0, 100, KafkaToAdbFormTest::order);
        // a dirty record: qty is no number; with dirty data processed as NULL it is written with qty NULL
        Fixtures.send(TOPIC, 1000, 1001, i -> "{\"id\":1000,\"buyer\":{\"name\":\"c1000\"},\"amount\":1,\"qty\":\"many\"}");
        try (Browser b = Browser.open(base)) {
            b.signIn();
            b.go("#/create/kafka-to-adb");
            b.type(By.name("id"), LINK);
            b.type(By.name("topic"), TOPIC);
            b.type(By.name("database"), "demo");
            b.type(By.name("table"), "console_orders");
            b.find(By.name("table")).sendKeys(Keys.TAB); // the change loads the destination's columns
            // the schema field mapping lists the destination columns
            b.find(By.cssSelector("#mapping-table tr[data-column='customer']"));
            b.choose(By.name("dirtyDataMode"), "null");
            // buyer is a nested object: two layers name its fields buyer.name
            b.choose(By.name("parsedJsonLayers"), "2");
            // a first precheck shows the topic's latest records (the sample data) and offers their fields
            b.click(By.id("precheck"));
            b.wait(d -> "passed".equals(d.findElement(By.id("check-result")).getDomAttribute("data-outcome")));
            String sample = b.find(By.id("sample")).getText();
            assertTrue(sample.contains("buyer.name"), sample);
            b.type(By.cssSelector("#mapping-table input[data-column='customer']"), "buyer.name");

            String yaml = b.find(By.id("yaml")).getText();
            assertTrue(yaml.contains("uri: \"kamelet:kafka-json-source\""), yaml);
            assertTrue(yaml.contains("mapping: \"customer=buyer.name\""), yaml);
            assertTrue(yaml.contains("dirtyDataMode: \"null\""), yaml);
            assertTrue(yaml.contains("parsedJsonLayers: 2"), yaml);
            // the definition changed since the precheck: Save waits for another one
            assertTrue(!b.find(By.id("save")).isEnabled(), "Save needs a precheck of the current definition");
            b.screenshot("create", By.tagName("header"));
            b.precheckAndSave(LINK);

            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.rows(TABLE) == 101);
            assertEquals(100, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE
                    + " WHERE customer = CONCAT('c', id) AND amount = id + 0.25 AND qty = id"), "the mapping override applies");
            assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE
                    + " WHERE id = 1000 AND customer = 'c1000' AND qty IS NULL"), "the dirty field is written as NULL");

            b.go("#/links");
            b.waitForText(Browser.cell(LINK, "out"), t -> Browser.count(t) == 101);
            b.waitForText(Browser.cell(LINK, "dirty"), t -> Browser.count(t) == 1);
            Fixtures.send(TOPIC, 100, 150, KafkaToAdbFormTest::order);
            // the counters move by themselves, the page is not reloaded
            b.waitForText(Browser.cell(LINK, "out"), t -> Browser.count(t) == 151);
            b.waitForText(Browser.cell(LINK, "in"), t -> Browser.count(t) == 151);
            assertEquals(151, Fixtures.rows(TABLE));
            api().get("/api/links/" + LINK).then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("running"));
        } finally {
            Fixtures.deleteLink(LINK);
        }
    }
}
