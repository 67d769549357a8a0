package io.sluice.link;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What a round over the links ({@link Rounds}) keeps for each link from one round to the next: made when a link is
 * first seen, dropped with the link once it is gone (deleted).
 */
final class PerLink<S> {

    private final Map<String, S> states = new ConcurrentHashMap<>();
    private final Supplier<S> make;

    PerLink(Supplier<S> make) {
        this.make = make;
    }

    /** Calls {@code step} with each link's id and state, in route order; the states of links gone are dropped. */
    void forEach(CamelContext camel, BiConsumer<String, S> step) {
        Set<String> present = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            if (Links.isLink(route)) {
                String id = route.getRouteId();
                present.add(id);
                step.accept(id, states.computeIfAbsent(id, k -> make.get()));
            }
        }
        states.keySet().retainAll(present);
    }

    /** The state of link {@code id}, or null when no round has seen it. */
    S get(String id) {
        return states.get(id);
    }
}
