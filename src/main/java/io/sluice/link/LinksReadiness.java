package io.sluice.link;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness lists every link with its state (and last error when failed); in a cluster also where each runs
 * ({@code running here}, {@code standby: runs on <instance>}).
 *
 * <p>Alone, a failed link makes readiness DOWN unless sluice.health.failed-link-makes-unready=false; the process stays
 * up either way (liveness is unaffected). In a cluster, readiness is DOWN when this instance cannot reach its
 * coordination service: on Kubernetes the other instances honour a lease while its pod is Ready, so an instance cut off
 * must turn not-ready for its links to move. A failed link does not make a cluster's instance not-ready there: that
 * would move every other link of the instance too, and the failed link would fail on the next one as well.
 */
@Readiness
@ApplicationScoped
public class LinksReadiness implements HealthCheck {

    @Inject
    Links links;

    @Inject
    LinksConfig config;

    @Inject
    LinkPlacement placement;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("links").up();
        boolean clustered = placement.clustered();
        if (clustered) {
            response.withData("instance", placement.instance());
            String problem = placement.coordinationProblem();
            if (problem != null) {
                response.down().withData("coordination", problem);
            }
        }
        for (LinkView link : links.list()) {
            String value = link.state().label();
            if (link.state() == LinkState.FAILED || link.state() == LinkState.RETRYING) {
                value += ": " + link.lastError();
                if (config.health().failedLinkMakesUnready() && !clustered) {
                    response.down();
                }
            }
            if (link.runner() != null) {
                value += link.state() == LinkState.STANDBY ? " (runs on " + link.runner() + ")" : " (runs here)";
            }
            response.withData(link.id(), value);
        }
        return response.build();
    }
}
