package io.sluice.link;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Applies to every link: no Camel error handler. Sluice's sources retry a failed batch themselves (with backoff,
 * from the same position) or stop the link, and record the error once in the link's status and log; Camel's
 * default handler would log a full stack trace for every failed batch of a database outage on top.
 */
@ApplicationScoped
public class LinkRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration().errorHandler(noErrorHandler());
    }
}
