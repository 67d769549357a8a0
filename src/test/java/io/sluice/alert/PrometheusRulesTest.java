package io.sluice.alert;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static io.sluice.testkit.LinkApi.addLink;
import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/prometheus/sluice-alerts.yaml: every metric its rules name, with every label value they match, is one
 * Sluice really exports at /q/metrics, and the rules are the two of Sluice's own alerts, with its default lag
 * threshold.
 */
@QuarkusTest
@QuarkusTestResource(value = SluiceTestResource.class, restrictToAnnotatedClass = false)
class PrometheusRulesTest {

    private static final Pattern SELECTOR = Pattern.compile("\\b(sluice_[a-z_]+)(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

    @Inject
    AlertsConfig config;

    @Test
    @SuppressWarnings("unchecked")
    void theRulesNameMetricsSluiceExports() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.rules_check (id INT PRIMARY KEY)");
        addLink("rules-check", "kafka-json:rules-check?brokers={{kafka.bootstrap.servers}}", "adb:demo.rules_check");
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(
                api().get("/api/links/rules-check").then().extract().path("state")));
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(scrape.contains("sluice_link_state{link=\"rules-check\",state=\"running\"} 1.0"), "the running link's state gauge");
        assertTrue(scrape.contains("sluice_link_state{link=\"rules-check\",state=\"failed\"} 0.0"), "the failed gauge of a running link");

        Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("deploy/prometheus/sluice-alerts.yaml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        assertEquals(List.of("SluiceLinkFailed", "SluiceLinkLag"), rules.stream().map(r -> r.get("alert")).toList());
        for (Map<String, Object> rule : rules) {
            String expr = String.valueOf(rule.get("expr"));
            Matcher m = SELECTOR.matcher(expr);
            int selectors = 0;
            while (m.find()) {
                selectors++;
                String metric = m.group(1);
                List<String> series = scrape.lines().filter(l -> l.startsWith(metric + "{")).toList();
                assertFalse(series.isEmpty(), rule.get("alert") + " names " + metric + ", which /q/metrics does not export");
                if (m.group(3) == null) {
                    continue;
                }
                Matcher label = MATCHER.matcher(m.group(3));
                while (label.find()) {
                    if (!label.group(2).startsWith("=")) {
                        continue; // a negative matcher needs no series that has the value
                    }
                    for (String value : label.group(2).equals("=~") ? label.group(3).split("\\|") : new String[]{label.group(3)}) {
                        String pair = label.group(1) + "=\"" + value + "\"";
                        assertTrue(series.stream().anyMatch(l -> l.contains(pair)),
                                rule.get("alert") + " matches " + metric + " with " + pair + ", which no exported series has");
                    }
                }
            }
            assertTrue(selectors > 0, rule.get("alert") + " names no Sluice metric: " + expr);
        }
        String lag = String.valueOf(rules.get(1).get("expr"));
        assertTrue(lag.contains("sluice_link_lag_seconds > " + config.lagThreshold().toSeconds()),
                "the Prometheus lag rule uses sluice.alerts.lag-threshold's default: " + lag);
        api().delete("/api/links/rules-check").then().statusCode(204);
    }
}
