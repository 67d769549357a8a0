package io.sluice.link;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness lists every link with its state (and last error when failed). A failed link makes readiness DOWN
 * unless sluice.health.failed-link-makes-unready=false; the process stays up either way (liveness is unaffected).
 */
@Readiness
@ApplicationScoped
public class LinksReadiness implements HealthCheck {

    @Inject
    Links links;

    @Inject
    LinksConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("links").up();
        for (LinkView link : links.list()) {
            String value = link.state().label();
            if (link.state() == LinkState.FAILED || link.state() == LinkState.RETRYING) {
                value += ": " + link.lastError();
                if (config.health().failedLinkMakesUnready()) {
                    response.down();
                }
            }
            response.withData(link.id(), value);
        }
        return response.build();
    }
}
