package io.sluice.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;
import java.time.Duration;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, test 6: a link's mapping edited in the console's form (PUT /api/links/{id}) fills the new column for the
 * records after the edit; the link keeps its position, so no record is lost or read twice.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class MappingEditTest {

    static final String LINK = "console-edit";
    static final String TABLE = "demo.console_edit";
    static final String TOPIC = "console.edit";

    @TestHTTPResource("/")
    URL base;

    static String person(int i) {
        return "{\"id\":" + i + ",\"user\":{\"name\":\"u" + i + "\"},\"address\":{\"town\":\"t" + i + "\"}}";
    }

    @Test
    void anEditedMappingFillsTheNewColumnForLaterRecordsWithNoneLostOrDoubled() {
        TestServers.mariaDb().execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, name VARCHAR(20), city VARCHAR(20),"
                + " writes INT NOT NULL DEFAULT 1)");
        // every write of a row counts: a record read twice would show writes = 2 (the link upserts by key)
        TestServers.mariaDb().execute("CREATE TRIGGER demo.console_edit_twice BEFORE UPDATE ON " + TABLE
                + " FOR EACH ROW SET NEW.writes = OLD.writes + 1");
        api().contentType("application/yaml").body(("""
                - route:
                    id: %s
                    from:
                      uri: "kamelet:kafka-json-source"
                      parameters:
                        topic: %s
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to:
                            uri: "kamelet:adb-sink"
                            parameters:
                              table: %s
                              parsedJsonLayers: 2
                              mapping: "name=user.name"
                              skipColumns: writes
                """).formatted(LINK, TOPIC, TABLE).getBytes()).post("/api/links").then().statusCode(201);
        try (Browser b = Browser.open(base)) {
            Fixtures.send(TOPIC, 0, 100, MappingEditTest::person);
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.rows(TABLE) == 100);
            assertEquals(100, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE + " WHERE city IS NULL"));

            b.signIn();
            b.go("#/links/" + LINK);
            b.click(By.id("edit"));
            // the form is filled from the link's definition
            b.wait(d -> "user.name".equals(d.findElement(By.cssSelector("#mapping-table input[data-column='name']"))
                    .getDomProperty("value")));
            b.type(By.cssSelector("#mapping-table input[data-column='city']"), "address.town");
            String yaml = b.find(By.id("yaml")).getText();
            assertTrue(yaml.contains("mapping: \"name=user.name,city=address.town\""), yaml);
            b.precheckAndSave(LINK);
            b.waitForText(By.id("definition"), t -> t.contains("city=address.town"));
            b.waitForText(By.id("details-state"), "running"::equals);

            Fixtures.send(TOPIC, 100, 200, MappingEditTest::person);
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.rows(TABLE) == 200);
        } finally {
            Fixtures.deleteLink(LINK);
        }
        assertEquals(100, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE
                + " WHERE id >= 100 AND city = CONCAT('t', id) AND name = CONCAT('u', id)"), "the new column is filled after the edit");
        assertEquals(100, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE + " WHERE id < 100 AND city IS NULL"),
                "the records before the edit are not read again");
        assertEquals(200, TestServers.queryLong("SELECT COUNT(*) FROM " + TABLE + " WHERE writes = 1"), "no record written twice");
    }
}
