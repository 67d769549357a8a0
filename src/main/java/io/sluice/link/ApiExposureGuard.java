package io.sluice.link;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Refuses to start when the management API would be reachable beyond this machine without a token. */
@ApplicationScoped
public class ApiExposureGuard {

    private static final Logger LOG = Logger.getLogger(ApiExposureGuard.class);

    @Inject
    LinksConfig config;

    @ConfigProperty(name = "quarkus.http.host")
    String httpHost;

    void check(@Observes StartupEvent event) {
        check(httpHost, config.api().token().filter(t -> !t.isBlank()).isPresent());
    }

    static void check(String httpHost, boolean hasToken) {
        if (hasToken) {
            return;
        }
        if (!isLoopback(httpHost)) {
            throw new IllegalStateException("The management API listens on " + httpHost
                    + " (beyond loopback) but no token is set. Set sluice.api.token (environment variable "
                    + "SLUICE_API_TOKEN), or listen on loopback only with quarkus.http.host=127.0.0.1.");
        }
        LOG.warn("sluice.api.token is not set: the management API is open to anyone on this machine (loopback only)");
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
