package io.sluice.alert;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code sluice.alerts.*}: where alerts go, how often, and the thresholds, with per-link overrides. */
@ConfigMapping(prefix = "sluice.alerts")
public interface AlertsConfig {

    /**
     * Where firing and resolved alerts are POSTed as JSON. None by default: alerts are then only shown
     * (GET /api/alerts and the console). Never logged: webhook URLs often carry a token.
     */
    Optional<String> webhookUrl();

    /** How often a firing alert is sent again while it keeps firing. */
    @WithDefault("10M")
    Duration repeatInterval();

    /** A link whose lag behind its source is above this fires the lag alert; 0 turns the lag alert off. */
    @WithDefault("300S")
    Duration lagThreshold();

    /** How often the rules are evaluated. */
    @WithDefault("5S")
    Duration evaluationInterval();

    /** How long a webhook may take to answer (connection and response). */
    @WithDefault("10S")
    Duration webhookTimeout();

    /** Per-link overrides: {@code sluice.alerts.links."<link id>".lag-threshold} and {@code .failed}. */
    Map<String, LinkAlerts> links();

    interface LinkAlerts {
        /** This link's lag threshold instead of {@code sluice.alerts.lag-threshold}; 0 turns it off. */
        Optional<Duration> lagThreshold();

        /** Whether this link raises the "link failed" alert. */
        @WithDefault("true")
        boolean failed();
    }
}
