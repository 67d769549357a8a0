package io.sluice.alert;

import io.sluice.link.LinkState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two rules and their per-link overrides, without a running app. */
class AlertRulesTest {

    private static AlertsConfig.LinkAlerts own(Duration lag, boolean failed) {
        return new AlertsConfig.LinkAlerts() {
            public Optional<Duration> lagThreshold() {
                return Optional.ofNullable(lag);
            }

            public boolean failed() {
                return failed;
            }
        };
    }

    private static final AlertRules RULES = new AlertRules(new AlertsConfig() {
        public Optional<String> webhookUrl() {
            return Optional.empty();
        }

        public Duration repeatInterval() {
            return Duration.ofMinutes(10);
        }

        public Duration lagThreshold() {
            return Duration.ofSeconds(300);
        }

        public Duration evaluationInterval() {
            return Duration.ofSeconds(5);
        }

        public Duration webhookTimeout() {
            return Duration.ofSeconds(10);
        }

        public Map<String, LinkAlerts> links() {
            return Map.of("strict", own(Duration.ofSeconds(10), true), "quiet", own(null, false),
                    "no-lag", own(Duration.ZERO, true));
        }
    });

    private static List<String> rules(String link, LinkState state, double lag) {
        return RULES.check(link, state, lag, null).stream().map(AlertRules.Condition::rule).toList();
    }

    @Test
    void aFailedLinkFiresUnlessItsFailedAlertIsOff() {
        assertEquals(List.of("failed"), rules("orders", LinkState.FAILED, 0));
        assertEquals(List.of(), rules("quiet", LinkState.FAILED, 0));
        for (LinkState s : List.of(LinkState.RUNNING, LinkState.RETRYING, LinkState.PAUSED, LinkState.STOPPED)) {
            assertFalse(rules("orders", s, 0).contains("failed"), s.label());
        }
    }

    @Test
    void lagAboveTheLinksThresholdFiresWhileTheLinkMoves() {
        assertEquals(List.of(), rules("orders", LinkState.RUNNING, 300));
        assertEquals(List.of("lag"), rules("orders", LinkState.RUNNING, 301));
        assertEquals(List.of("lag"), rules("orders", LinkState.RETRYING, 3600));
        // a paused or stopped link's last lag is old news
        assertEquals(List.of(), rules("orders", LinkState.PAUSED, 3600));
        assertEquals(List.of(), rules("orders", LinkState.STOPPED, 3600));
        // per-link threshold, and 0 = off; a link without its own threshold keeps the default
        assertEquals(List.of("lag"), rules("strict", LinkState.RUNNING, 11));
        assertEquals(List.of(), rules("no-lag", LinkState.RUNNING, 100_000));
        assertEquals(List.of("lag"), rules("quiet", LinkState.RUNNING, 301));
        AlertRules.Condition c = RULES.check("strict", LinkState.RUNNING, 42, null).get(0);
        assertEquals(10L, c.threshold());
        assertTrue(c.message().contains("42 s behind") && c.message().contains("threshold 10 s"), c.message());
    }

    @Test
    void theLastErrorIsMaskedBeforeItGoesAnywhere() {
        AlertRules.Condition c = RULES.check("orders", LinkState.FAILED, 0,
                "could not start: jdbc:mysql://db/x?password=hunter2 refused").get(0);
        assertFalse(c.lastError().contains("hunter2"), c.lastError());
        assertFalse(c.message().contains("hunter2"), c.message());
        assertTrue(c.message().contains("refused"), c.message());
    }
}
