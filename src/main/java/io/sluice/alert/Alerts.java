package io.sluice.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.base.Errors;
import io.sluice.base.SecretMasker;
import io.sluice.link.LinkState;
import io.sluice.link.LinkView;
import io.sluice.link.Links;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the alert rules over every link every {@code sluice.alerts.evaluation-interval}, keeps the firing
 * alerts (GET /api/alerts) and sends them to the webhook: when one starts firing, again every repeat interval while
 * it fires (a send that failed is tried again at the next evaluation), and once when it is resolved. Firing alerts
 * live in memory: after a restart, an alert still true fires anew.
 */
@ApplicationScoped
public class Alerts {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    @Inject
    AlertsConfig config;

    @Inject
    Links links;

    @Inject
    ObjectMapper json;

    private final Map<Key, Firing> firing = new ConcurrentHashMap<>();
    private AlertRules rules;
    private WebhookSender webhook;
    private ScheduledExecutorService evaluator;

    private record Key(String link, String rule) {
    }

    /** A firing alert: what it says now, since when, and how its last send went. */
    private static final class Firing {
        final Instant since;
        volatile AlertRules.Condition condition;
        volatile Instant lastSent;
        volatile String webhookError;

        Firing(AlertRules.Condition condition, Instant since) {
            this.condition = condition;
            this.since = since;
        }
    }

    void start(@Observes StartupEvent e) {
        rules = new AlertRules(config);
        webhook = config.webhookUrl().filter(u -> !u.isBlank())
                .map(u -> new WebhookSender(webhookUri(u), config.webhookTimeout())).orElse(null);
        evaluator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-alerts");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.evaluationInterval().toMillis());
        evaluator.scheduleWithFixedDelay(this::evaluateQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (evaluator != null) {
            evaluator.shutdownNow();
        }
    }

    private static URI webhookUri(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?")) {
                throw new IllegalArgumentException("not an http or https URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            // the URL itself is not repeated: it may carry a token
            throw new IllegalArgumentException("sluice.alerts.webhook-url must be an http:// or https:// URL "
                    + "(e.g. https://alerts.example.com/hooks/sluice)", e);
        }
    }

    /** The alerts firing now, oldest first. */
    public List<AlertView> firing() {
        List<AlertView> out = new ArrayList<>();
        for (Firing f : firing.values()) {
            AlertRules.Condition c = f.condition;
            out.add(new AlertView(c.link(), c.rule(), f.since, c.message(), f.lastSent, f.webhookError,
                    c.state(), c.lagSeconds(), c.threshold(), c.lastError()));
        }
        out.sort(Comparator.comparing(AlertView::since).thenComparing(AlertView::link).thenComparing(AlertView::rule));
        return out;
    }

    private void evaluateQuietly() {
        try {
            evaluate(Instant.now());
        } catch (RuntimeException e) {
            // the next evaluation tries again; the alerts firing so far stay
            LOG.warnf("alert evaluation failed: %s", Errors.describe(e));
        }
    }

    void evaluate(Instant now) {
        Map<Key, AlertRules.Condition> current = new HashMap<>();
        Map<String, LinkView> views = new HashMap<>();
        for (LinkView v : links.list()) {
            views.put(v.id(), v);
            for (AlertRules.Condition c : rules.check(v.id(), v.state(), v.lagSeconds(), v.lastError())) {
                current.put(new Key(c.link(), c.rule()), c);
            }
        }
        for (Map.Entry<Key, AlertRules.Condition> e : current.entrySet()) {
            Firing f = firing.get(e.getKey());
            if (f == null) {
                f = new Firing(e.getValue(), now);
                firing.put(e.getKey(), f);
                LOG.warnf("alert firing: %s", e.getValue().message());
            }
            f.condition = e.getValue();
            boolean due = f.lastSent == null || !now.isBefore(f.lastSent.plus(config.repeatInterval()));
            if (webhook != null && due) {
                send(f, "firing", now);
            }
        }
        for (Key k : List.copyOf(firing.keySet())) {
            if (!current.containsKey(k)) {
                Firing f = firing.remove(k);
                LinkView v = views.get(k.link());
                AlertRules.Condition was = f.condition;
                // the resolved alert says what the link is like now (gone, if it was deleted)
                f.condition = new AlertRules.Condition(was.link(), was.rule(), v == null ? null : v.state(),
                        v == null ? 0 : v.lagSeconds(), was.threshold(),
                        v == null ? null : SecretMasker.maskText(v.lastError()),
                        "resolved: " + was.message() + (v == null ? " (the link was deleted)" : ""));
                LOG.infof("alert resolved: %s", was.message());
                if (webhook != null) {
                    send(f, "resolved", now);
                }
            }
        }
    }

    private void send(Firing f, String status, Instant now) {
        String error = webhook.send(body(f, status, now));
        if (error == null) {
            f.lastSent = now;
            f.webhookError = null;
        } else {
            f.webhookError = error;
            LOG.warnf("alert for link %s (%s) not delivered: %s", f.condition.link(), f.condition.rule(), error);
        }
    }

    /** The webhook's JSON: what the alert is about, never a secret (the last error is masked by the rules). */
    private byte[] body(Firing f, String status, Instant now) {
        AlertRules.Condition c = f.condition;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("link", c.link());
        m.put("rule", c.rule());
        m.put("state", c.state() == null ? "deleted" : c.state().label());
        m.put("lagSeconds", c.lagSeconds());
        m.put("threshold", c.threshold());
        m.put("lastError", c.lastError());
        m.put("since", f.since.toString());
        m.put("status", status);
        m.put("message", c.message());
        m.put("time", now.toString());
        try {
            return json.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render an alert as JSON", e);
        }
    }

    /**
     * A firing alert as GET /api/alerts shows it: link, rule, since, message, when it was last sent to the webhook
     * and why the last send failed (null when it went through or no webhook is set), and what the link is like now.
     */
    public record AlertView(String link, String rule, Instant since, String message, Instant lastSent,
                            String webhookError, LinkState state, double lagSeconds, Long threshold,
                            String lastError) {
    }
}
