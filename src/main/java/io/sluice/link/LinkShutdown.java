package io.sluice.link;

import io.quarkus.runtime.StartupEvent;
import io.sluice.base.Errors;
import io.sluice.base.StopBudget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent.CamelContextStoppedEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.support.service.ServiceHelper;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bounded stop of every link: {@code sluice.links.stop-timeout} (default 30 s) for a pause, a stop, a delete and for
 * shutting Sluice down (SIGTERM), whatever the servers do.
 *
 * <p>Camel stops routes one after the other under one shutdown timeout; a link whose sink is down would use that
 * timeout up and the links after it would be cut off without committing their positions. So when the Camel context
 * begins to stop, the links' consumers are stopped here first, all at once, each within the timeout
 * ({@link StopBudget}); Camel's own pass then finds them stopped and stops the rest of each route.
 * {@code io.sluice.links-stopped} is published as a system property once every link is stopped, so that the embedded
 * servers of the embedded default (which links may be writing to) stop only after the links.
 */
@ApplicationScoped
public class LinkShutdown {

    /**
     * System property: {@code false} once the links run, {@code true} when the Camel context (every link) has stopped.
     * Not under {@code sluice.}: SmallRye Config refuses an unknown property of a mapped root, so a dev-mode live
     * reload (which keeps the JVM's system properties) would fail to start.
     */
    public static final String LINKS_STOPPED = "io.sluice.links-stopped";

    private static final Logger LOG = Logger.getLogger(LinkShutdown.class);

    @Inject
    CamelContext camel;

    @Inject
    LinksConfig config;

    void applyStopTimeout(@Observes StartupEvent e) {
        StopBudget.stopTimeout(config.links().stopTimeout().toMillis());
        long seconds = Math.max(1, (config.links().stopTimeout().toMillis() + 999) / 1000);
        camel.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        camel.getShutdownStrategy().setTimeout(seconds);
        // what a consumer could not finish in time is abandoned, never waited for beyond the timeout
        camel.getShutdownStrategy().setShutdownNowOnTimeout(true);
        System.setProperty(LINKS_STOPPED, "false");
    }

    void stopLinksTogether(@Observes CamelContextStoppingEvent e) {
        List<Thread> stopping = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            Consumer consumer = route.getConsumer();
            if (!Links.isLink(route) || consumer == null || !ServiceHelper.isStarted(consumer)) {
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    ServiceHelper.stopService(consumer);
                } catch (RuntimeException ex) {
                    LOG.warnf("link %s did not stop cleanly: %s", route.getRouteId(), Errors.describe(ex));
                }
            }, "sluice-stop-" + route.getRouteId());
            t.setDaemon(true);
            t.start();
            stopping.add(t);
        }
        StopBudget budget = StopBudget.start("*");
        for (Thread t : stopping) {
            budget.join(t); // each consumer keeps to its own budget; this only bounds the wait for all of them
        }
        if (!stopping.isEmpty()) {
            LOG.infof("stopped %d links (at most %d ms each, sluice.links.stop-timeout)", stopping.size(),
                    config.links().stopTimeout().toMillis());
        }
        // Camel's own pass comes next and would wait its whole timeout again for the exchanges of the work abandoned
        // here: what is left of the budget is all it gets (at least 1 s, for the routes' producers)
        camel.getShutdownStrategy().setTimeout(Math.max(1, budget.remainingMs() / 1000));
    }

    void linksStopped(@Observes CamelContextStoppedEvent e) {
        System.setProperty(LINKS_STOPPED, "true");
    }
}
