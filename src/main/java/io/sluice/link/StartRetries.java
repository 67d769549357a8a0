package io.sluice.link;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.SupervisingRouteController;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Retries the start of links started through the API whose start failed for a reason that may pass (a server that
 * does not answer), with the backoff of Camel's route supervisor ({@code camel.routecontroller.back-off-*}: 2 s,
 * doubling, at most 60 s). Camel's supervisor retries only the routes it started itself (those of the routes
 * directory at start-up); without this, a link added or started through the API while its server was down showed
 * {@code stopped} and never started.
 */
@ApplicationScoped
public class StartRetries {

    /** A start attempt. */
    public interface Attempt {
        void run() throws Exception;
    }

    @Inject
    CamelContext camel;

    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-link-start-retry");
        t.setDaemon(true);
        return t;
    });

    /**
     * Runs {@code attempt}; when it fails, {@code retry} is told the failure (and reports it) and says whether to try
     * again, which then happens after the backoff, for as long as it fails and is not {@link #cancel cancelled}.
     */
    public void start(String link, Attempt attempt, Predicate<Exception> retry) {
        cancel(link);
        attempt(link, attempt, retry, initialDelayMs());
    }

    /** As {@link #start}, the first attempt after the backoff's first delay (the link shows retrying until then). */
    public void later(String link, Attempt attempt, Predicate<Exception> retry) {
        cancel(link);
        long delay = initialDelayMs();
        pending.put(link, timer.schedule(() -> {
            if (pending.containsKey(link)) {
                attempt(link, attempt, retry, delay * 2);
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    private void attempt(String link, Attempt attempt, Predicate<Exception> retry, long delayMs) {
        try {
            attempt.run();
            pending.remove(link);
        } catch (Exception e) {
            if (retry.test(e)) {
                long next = Math.min(delayMs * 2, maxDelayMs());
                pending.put(link, timer.schedule(() -> {
                    if (pending.containsKey(link)) {
                        attempt(link, attempt, retry, next);
                    }
                }, delayMs, TimeUnit.MILLISECONDS));
            } else {
                pending.remove(link);
            }
        }
    }

    /** Whether a start of {@code link} is waiting to be tried again. */
    public boolean retrying(String link) {
        return pending.containsKey(link);
    }

    /** No more attempts for {@code link} (it is paused, stopped or deleted, or started otherwise). */
    public void cancel(String link) {
        ScheduledFuture<?> f = pending.remove(link);
        if (f != null) {
            f.cancel(false);
        }
    }

    private long initialDelayMs() {
        return camel.getRouteController() instanceof SupervisingRouteController s ? Math.max(100, s.getBackOffDelay()) : 2_000;
    }

    private long maxDelayMs() {
        return camel.getRouteController() instanceof SupervisingRouteController s && s.getBackOffMaxDelay() > 0
                ? s.getBackOffMaxDelay() : 60_000;
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
