package io.sluice.console;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17, test 7: a wrong token is refused, the right one opens the console; the token is in no URL or page. */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class SignInTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aWrongTokenIsRefusedAndTheRightOneOpensTheConsole() {
        try (Browser b = Browser.open(base)) {
            b.go("#/links");
            // the API answered 401: the console asks for the token instead of showing links
            b.find(By.id("sign-in"));
            assertTrue(b.driver.findElements(By.id("links")).isEmpty(), "no links before signing in");

            b.type(By.id("token"), "not-the-token");
            b.click(By.id("sign-in-button"));
            String refused = b.waitForText(By.id("sign-in-error"), t -> !t.isBlank());
            assertTrue(refused.contains("The token was refused"), refused);
            assertTrue(b.driver.findElements(By.id("links")).isEmpty(), "a wrong token opens nothing");

            b.type(By.id("token"), SluiceTestResource.TOKEN);
            b.click(By.id("sign-in-button"));
            // the shipped example links are listed, with their states
            b.find(Browser.row("aps-kafka-events"));
            b.waitForText(Browser.cell("aps-kafka-events", "state"), t -> !t.isBlank());
            b.screenshot("links", By.tagName("header"));

            // the token only travels in the Authorization header: not in the URL, the page or its fields
            assertFalse(b.driver.getCurrentUrl().contains(SluiceTestResource.TOKEN), b.driver.getCurrentUrl());
            assertFalse(b.driver.getPageSource().contains(SluiceTestResource.TOKEN), "the token is not in the page");
            assertEquals(SluiceTestResource.TOKEN, b.script("return sessionStorage.getItem('sluice.token')"));
            // the chart library is served by Sluice from its webjar (no CDN)
            assertEquals("function", b.script("return typeof uPlot"));

            // sign out forgets the token: the next call asks again
            b.click(By.id("sign-out"));
            b.find(By.id("sign-in"));
            assertEquals(null, b.script("return sessionStorage.getItem('sluice.token')"));
        }
    }
}
