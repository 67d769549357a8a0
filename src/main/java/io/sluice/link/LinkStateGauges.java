package io.sluice.link;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.spi.CamelEvent.RouteAddedEvent;
import org.apache.camel.spi.CamelEvent.RouteRemovedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports each link's state as Prometheus gauges {@code sluice_link_state{link, state}}: 1 for the state the link is
 * in (as GET /api/links shows it), 0 for the others, so Prometheus can alert on a failed link
 * ({@code deploy/prometheus/sluice-alerts.yaml}). The state is computed by the control plane, so the gauges live here
 * rather than with the counters of {@link io.sluice.base.LinkStatsRegistry}.
 */
@ApplicationScoped
public class LinkStateGauges {

    @Inject
    MeterRegistry registry;

    @Inject
    Links links;

    private final Map<String, List<Meter>> gauges = new ConcurrentHashMap<>();

    void added(@Observes RouteAddedEvent e) {
        if (!Links.isLink(e.getRoute())) {
            return;
        }
        String id = e.getRoute().getRouteId();
        List<Meter> m = new ArrayList<>();
        for (LinkState s : LinkState.values()) {
            m.add(Gauge.builder("sluice.link.state", () -> is(id, s) ? 1 : 0)
                    .tags("link", id, "state", s.label())
                    .description("1 while the link is in this state, else 0").register(registry));
        }
        gauges.put(id, m); // a link added again gets the meters it had: Micrometer keeps one per name and tags
    }

    void removed(@Observes RouteRemovedEvent e) {
        List<Meter> gone = gauges.remove(e.getRoute().getRouteId());
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }

    private boolean is(String id, LinkState s) {
        try {
            return links.state(id) == s;
        } catch (LinkException notThere) {
            return false; // removed between the scrape and the event
        }
    }
}
