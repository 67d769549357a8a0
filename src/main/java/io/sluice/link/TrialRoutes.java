package io.sluice.link;

import io.sluice.base.Errors;
import io.sluice.base.LinkStatsRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A definition created for a try and removed again: its routes added to the Camel context under temporary ids, never
 * started. Creating the routes finds what parsing and creating the endpoints alone does not (an expression that does
 * not compile, a bean that is not there), and gives a check the live endpoints to ask for a precheck and a preview;
 * the temporary ids let it run beside a link of the same id, whose definition is being edited. Closing the trial takes
 * out everything it created: its routes (and the routes kamelets made for them), and the endpoints that were not in
 * the context before (those a running link shares stay).
 */
@ApplicationScoped
public class TrialRoutes {

    private static final Logger LOG = Logger.getLogger(TrialRoutes.class);

    /**
     * The route group of a trial's routes: they are no links (not listed, counted, sampled or alerted on), so a trial
     * leaves nothing in what watches the links, even while it runs.
     */
    private static final String GROUP = "sluice-trial";

    /** Whether {@code route} is a definition on trial, not a link. */
    static boolean isTrial(Route route) {
        return GROUP.equals(route.getGroup());
    }

    /** Whether {@code def} is the definition of a route on trial. */
    static boolean isTrial(RouteDefinition def) {
        return GROUP.equals(def.getGroup());
    }

    @Inject
    CamelContext camel;

    @Inject
    LinkDefinitions definitions;

    @Inject
    LinkStatsRegistry stats;

    /** One trial: close it (try-with-resources) to remove what it created. */
    public final class Trial implements AutoCloseable {

        private final Set<Endpoint> endpointsBefore = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<String> routesBefore;
        private final List<String> ids = new ArrayList<>();
        private final List<String> trialIds = new ArrayList<>();
        private final List<RouteDefinition> definitions = new ArrayList<>();

        private Trial() {
            endpointsBefore.addAll(camel.getEndpoints());
            routesBefore = camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toSet());
        }

        /** The link ids the definition declares, in its order. */
        public List<String> ids() {
            return List.copyOf(ids);
        }

        /** The temporary route id of the definition's {@code i}-th link. */
        public String trialId(int i) {
            return trialIds.get(i);
        }

        /** The created route of the definition's {@code i}-th link. */
        public Route route(int i) {
            return camel.getRoute(trialIds.get(i));
        }

        /** A message of the trial in the user's words: the temporary ids replaced by the link ids. */
        public String inLinkTerms(String message) {
            String out = message;
            for (int i = 0; i < trialIds.size(); i++) {
                out = out.replace(trialIds.get(i), ids.get(i));
            }
            return out;
        }

        @Override
        public void close() {
            ModelCamelContext model = (ModelCamelContext) camel;
            // routes that kamelets the inliner could not inline made for the trial (a link's own routes are never
            // kamelet-made, so a link added meanwhile by another request is not touched)
            for (Route r : List.copyOf(camel.getRoutes())) {
                if (r.isCreatedByKamelet() && !routesBefore.contains(r.getRouteId())) {
                    remove(model, r.getRouteId());
                }
            }
            for (String id : trialIds) {
                remove(model, id);
                stats.remove(id);
            }
            // only the trial's own endpoints, not every endpoint created meanwhile: another request may be adding a link
            for (RouteDefinition def : definitions) {
                for (String uri : LinkDefinitions.endpointUris(def)) {
                    removeIfNew(uri);
                }
            }
        }

        private void removeIfNew(String uri) {
            try {
                Endpoint e = camel.hasEndpoint(camel.resolvePropertyPlaceholders(uri));
                if (e != null && !endpointsBefore.contains(e)) {
                    camel.removeEndpoint(e);
                }
            } catch (Exception ex) {
                LOG.debugf("trial endpoint %s not removed: %s", uri, ex.getMessage());
            }
        }

        private void remove(ModelCamelContext model, String id) {
            try {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
                RouteDefinition def = model.getRouteDefinition(id);
                if (def != null) {
                    model.removeRouteDefinition(def);
                }
            } catch (Exception e) {
                LOG.warnf("trial route %s not removed: %s", id, Errors.describe(e));
            }
        }
    }

    /**
     * Parses {@code yaml} and creates its routes under temporary ids, not started.
     *
     * @throws LinkException 400 when the definition cannot be parsed or its routes cannot be created (nothing is left)
     */
    public Trial open(String yaml) {
        Trial trial = new Trial();
        try {
            List<RouteDefinition> routes = definitions.parse(yaml);
            trial.definitions.addAll(routes);
            String tag = UUID.randomUUID().toString().substring(0, 8);
            for (RouteDefinition r : routes) {
                trial.ids.add(r.getRouteId());
                String trialId = "trial-" + tag + "-" + r.getRouteId();
                trial.trialIds.add(trialId);
                r.setId(trialId);
                r.setGroup(GROUP);
                r.setAutoStartup("false");
            }
            try {
                ((ModelCamelContext) camel).addRouteDefinitions(routes);
            } catch (Exception e) {
                throw LinkException.badRequest(trial.inLinkTerms("link '" + trial.ids.get(0) + "' cannot be created: "
                        + Errors.describe(e)));
            }
            return trial;
        } catch (RuntimeException e) {
            trial.close();
            throw e;
        }
    }
}
