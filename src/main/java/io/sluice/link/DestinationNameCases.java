package io.sluice.link;

import io.quarkus.arc.Unremovable;
import io.sluice.change.DestinationNameCase;
import io.sluice.change.ObjectNameCase;
import io.sluice.change.TablesWithoutKey;
import jakarta.inject.Singleton;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelContextCustomizer;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.Collection;

/**
 * DTS's {@code objectNameCase: dts-default} depends on the destination (MaxCompute: lowercase; Kafka: the source's
 * names). A source never asks for its sink: here, where a link's two ends are known, each link's source that applies
 * the capitalization ({@link DestinationNameCase.Source}) is given its sink's default ({@link DestinationNameCase}, or
 * the source's names for a sink without one) when the link's route is added or started again, before its consumer
 * starts (Camel calls {@code onRoutesAdd} while warming a route up, ahead of its consumer). The same way a source that
 * checks its tables' keys ({@link TablesWithoutKey.Source}) is told what a table without a key means in its sink.
 */
@Singleton
@Unremovable // Camel Quarkus looks customizers up; nothing injects this one
public class DestinationNameCases implements CamelContextCustomizer {

    @Override
    public void configure(CamelContext camel) {
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onRoutesAdd(Collection<Route> routes) {
                for (Route route : routes) {
                    resolve(camel, route);
                }
            }
        });
    }

    /**
     * Hands the route's source its sink's default capitalization, if the source applies one, and what a table without
     * a key means in the sink, if the source checks keys.
     */
    static void resolve(CamelContext camel, Route route) {
        if (route.getEndpoint() instanceof DestinationNameCase.Source source) {
            DestinationNameCase sink = LinkDefinitions.sinkOf(camel, route.getRouteId(), DestinationNameCase.class);
            source.destinationNameCase(sink != null ? sink.dtsDefaultNameCase() : ObjectNameCase.SOURCE);
        }
        if (route.getEndpoint() instanceof TablesWithoutKey.Source source) {
            TablesWithoutKey sink = LinkDefinitions.sinkOf(camel, route.getRouteId(), TablesWithoutKey.class);
            source.sinkWithoutKey(sink != null ? sink.withoutKey() : null);
        }
    }
}
