package io.sluice.link;

import io.sluice.base.BatchExchanges;
import io.sluice.base.Errors;
import io.sluice.base.LinkStats;
import io.sluice.base.LinkStatsRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCreatedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.RouteAddedEvent;
import org.apache.camel.spi.CamelEvent.RouteRemovedEvent;
import org.apache.camel.spi.CamelEvent.RouteRestartingEvent;
import org.apache.camel.spi.CamelEvent.RouteRestartingFailureEvent;
import org.apache.camel.spi.CamelEvent.RouteStartedEvent;
import org.apache.camel.spi.CamelEvent.RouteStoppedEvent;
import org.jboss.logging.Logger;

/**
 * Turns Camel's route and exchange events (bridged to CDI by Camel Quarkus) into each link's counters and run log.
 *
 * <p>Plain Camel routes count one record per exchange. Components that move a batch per exchange put the batch
 * size in the exchange property {@value BatchExchanges#RECORDS}; components that report to {@link LinkStats}
 * themselves set it to 0 so nothing is counted twice.
 */
@ApplicationScoped
public class LinkEvents {

    /** Exchange property: the link whose consumer created the exchange. */
    static final String LINK = "SluiceLink";
    private static final String KAFKA_TIMESTAMP = "kafka.TIMESTAMP";

    private static final Logger LOG = Logger.getLogger(LinkEvents.class);

    @Inject
    LinkStatsRegistry stats;

    @Inject
    CamelContext camel;

    void added(@Observes RouteAddedEvent e) {
        log(e.getRoute(), "added", "link added");
    }

    void started(@Observes RouteStartedEvent e) {
        if (Links.isLink(e.getRoute())) {
            stats.of(e.getRoute().getRouteId()).clearHalt();
        }
        log(e.getRoute(), "started", "link started");
    }

    void stopped(@Observes RouteStoppedEvent e) {
        log(e.getRoute(), "stopped", "link stopped");
    }

    void removed(@Observes RouteRemovedEvent e) {
        LOG.infof("link %s removed", e.getRoute().getRouteId());
    }

    void restarting(@Observes RouteRestartingEvent e) {
        log(e.getRoute(), "restarting", "starting again, attempt " + e.getAttempt());
    }

    void restartFailed(@Observes RouteRestartingFailureEvent e) {
        String what = e.isExhausted() ? "gave up starting after attempt " : "could not start (attempt ";
        String message = what + e.getAttempt() + (e.isExhausted() ? "" : ", retrying with backoff)") + ": "
                + Errors.describe(e.getCause());
        if (Links.isLink(e.getRoute())) {
            stats.of(e.getRoute().getRouteId()).error(message);
        }
        LOG.warnf("link %s %s", e.getRoute().getRouteId(), message);
    }

    void exchangeCreated(@Observes ExchangeCreatedEvent e) {
        Exchange x = e.getExchange();
        Route route = x.getFromRouteId() == null ? null : camel.getRoute(x.getFromRouteId());
        if (route != null && Links.isLink(route) && x.getProperty(LINK) == null) {
            x.setProperty(LINK, route.getRouteId());
            stats.of(route.getRouteId()).recordsIn(records(x));
        }
    }

    void exchangeCompleted(@Observes ExchangeCompletedEvent e) {
        Exchange x = e.getExchange();
        String link = linkOf(x);
        if (link != null && !x.isFailed()) {
            LinkStats s = stats.of(link);
            s.recordsOut(records(x));
            Long sourceTime = sourceTime(x);
            if (sourceTime != null) {
                s.lag(System.currentTimeMillis() - sourceTime);
            }
        }
    }

    void exchangeFailed(@Observes ExchangeFailedEvent e) {
        Exchange x = e.getExchange();
        String link = linkOf(x);
        if (link != null) {
            String message = Errors.describe(x.getException());
            stats.of(link).failed(records(x), message);
            // Sluice's sources log the failure once themselves, with what they do about it (retry in n ms, stop)
            LOG.debugf("link %s: %s", link, message);
        }
    }

    private void log(Route route, String event, String message) {
        if (Links.isLink(route)) {
            stats.of(route.getRouteId()).runLog().add(event, message);
        }
    }

    /**
     * The link of an exchange its link's consumer created, or null for the copies that kamelets, splits and
     * multicasts make of it (those carry the link property too, but were created by another route).
     */
    private static String linkOf(Exchange x) {
        String link = x.getProperty(LINK, String.class);
        return link != null && link.equals(x.getFromRouteId()) ? link : null;
    }

    private static long records(Exchange x) {
        Integer n = x.getProperty(BatchExchanges.RECORDS, Integer.class);
        return n == null ? 1 : n;
    }

    private static Long sourceTime(Exchange x) {
        Long t = x.getProperty(BatchExchanges.SOURCE_TIME, Long.class);
        if (t == null) {
            t = x.getMessage().getHeader(BatchExchanges.SOURCE_TIME, Long.class);
        }
        if (t == null) {
            t = x.getMessage().getHeader(KAFKA_TIMESTAMP, Long.class);
        }
        return t;
    }
}
