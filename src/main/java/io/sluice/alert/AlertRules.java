package io.sluice.alert;

import io.sluice.base.SecretMasker;
import io.sluice.link.LinkState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two rules: "failed" (the link is in state failed) and "lag" (its lag behind the source is above its threshold
 * while it runs or retries; a paused or stopped link does not move, so its last lag says nothing).
 */
final class AlertRules {

    static final String FAILED = "failed";
    static final String LAG = "lag";

    private final AlertsConfig config;

    AlertRules(AlertsConfig config) {
        this.config = config;
    }

    /** What a link fires now: none, one or both rules. {@code lastError} is masked here, before it goes anywhere. */
    List<Condition> check(String link, LinkState state, double lagSeconds, String lastError) {
        List<Condition> out = new ArrayList<>();
        String error = SecretMasker.maskText(lastError);
        Optional<AlertsConfig.LinkAlerts> own = Optional.ofNullable(config.links().get(link));
        if (state == LinkState.FAILED && own.map(AlertsConfig.LinkAlerts::failed).orElse(true)) {
            out.add(new Condition(link, FAILED, state, lagSeconds, null, error, "link '" + link + "' failed"
                    + (error == null ? "" : ": " + error)));
        }
        long threshold = lagThresholdSeconds(link);
        boolean moving = state == LinkState.RUNNING || state == LinkState.RETRYING;
        if (threshold > 0 && moving && lagSeconds > threshold) {
            out.add(new Condition(link, LAG, state, lagSeconds, threshold, error, "link '" + link + "' is "
                    + Math.round(lagSeconds) + " s behind its source (threshold " + threshold + " s)"));
        }
        return out;
    }

    /** The link's lag threshold in seconds, 0 when its lag alert is off. */
    long lagThresholdSeconds(String link) {
        AlertsConfig.LinkAlerts own = config.links().get(link);
        Duration d = own != null && own.lagThreshold().isPresent() ? own.lagThreshold().get() : config.lagThreshold();
        return d.toSeconds();
    }

    /** One rule firing for one link, with what the alert says about the link now. */
    record Condition(String link, String rule, LinkState state, double lagSeconds, Long threshold, String lastError,
                     String message) {
    }
}
