package io.sluice.link;

import io.sluice.base.LinkStatsRegistry;
import io.sluice.base.OneSourcePerDestination;
import io.sluice.base.StartRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;

/**
 * The rules across links a source asks about while it starts. Asked on every start (the routes directory at boot,
 * the API's start and resume, the route supervisor's retries); routes start one at a time, so of two conflicting
 * links the first one started wins.
 */
@ApplicationScoped
public class LinkStartRules implements StartRules {

    @Inject
    CamelContext camel;

    @Inject
    LinkStatsRegistry stats;

    @Override
    public String refusal(String link) {
        return oneSourcePerDestination(link);
    }

    /**
     * Seed 000's limit: a destination table synchronizes from only one logstore. Another running or paused link whose
     * source is of the same kind but reads a different one into the same destination refuses this start.
     */
    private String oneSourcePerDestination(String link) {
        Route route = camel.getRoute(link);
        if (route == null || !(route.getEndpoint() instanceof OneSourcePerDestination source)) {
            return null;
        }
        ModelCamelContext model = (ModelCamelContext) camel;
        String sink = LinkDefinitions.sink(model.getRouteDefinition(link));
        if (sink == null) {
            return null;
        }
        for (Route r : camel.getRoutes()) {
            String other = r.getRouteId();
            if (other.equals(link) || !Links.isLink(r) || !(r.getEndpoint() instanceof OneSourcePerDestination o)
                    || o.getClass() != source.getClass() || o.source().equals(source.source())
                    || !sink.equals(LinkDefinitions.sink(model.getRouteDefinition(other)))) {
                continue;
            }
            ServiceStatus status = camel.getRouteController().getRouteStatus(other);
            boolean active = status == ServiceStatus.Started || status == ServiceStatus.Starting
                    || stats.of(other).paused();
            if (active) {
                return source.conflict(link, sink, other, o.source());
            }
        }
        return null;
    }
}
