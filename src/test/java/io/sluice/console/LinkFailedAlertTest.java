package io.sluice.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import io.sluice.testkit.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, test 9: a link stopped by dirty data raises the "link failed" alert at the test kit's webhook receiver
 * (sluice.alerts.webhook-url in SluiceTestResource), and the console shows the alert.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class LinkFailedAlertTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aLinkStoppedByDirtyDataRaisesTheLinkFailedAlertAtTheWebhookAndOnTheConsole() {
        String link = "console-alert";
        String table = "demo.console_alert";
        TestServers.mariaDb().execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, qty INT)");
        LinkApi.addLink(link, "kafka-json:console.alert?brokers={{kafka.bootstrap.servers}}", "adb:" + table);
        try (Browser b = Browser.open(base)) {
            b.signIn();
            Fixtures.send("console.alert", 0, 1, i -> "{\"id\":1,\"qty\":\"not a number\"}");
            WebhookReceiver webhook = WebhookReceiver.shared();
            await().atMost(Duration.ofSeconds(90)).until(() -> !webhook.received(j -> link.equals(j.path("link").asText())
                    && "failed".equals(j.path("rule").asText()) && "firing".equals(j.path("status").asText())).isEmpty());
            WebhookReceiver.Received alert = webhook.received(j -> link.equals(j.path("link").asText())).get(0);
            assertEquals("failed", alert.json().path("state").asText(), alert.body());
            assertTrue(alert.json().path("lastError").asText().contains("qty"), "the alert carries the last error: " + alert.body());
            assertFalse(alert.body().contains("sluice-demo-pw"), "no secret in the alert");

            // the console shows it by itself, on whatever page is open
            String shown = b.waitForText(By.cssSelector("#alerts .alert[data-link='" + link + "']"), t -> !t.isBlank());
            assertTrue(shown.startsWith("Link failed"), shown);
            assertTrue(shown.contains(link), shown);
            b.waitForText(Browser.cell(link, "state"), "failed"::equals);
        } finally {
            Fixtures.deleteLink(link);
        }
    }
}
