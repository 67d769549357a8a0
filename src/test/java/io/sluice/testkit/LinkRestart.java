package io.sluice.testkit;

import io.sluice.base.LinkStatsRegistry;
import io.sluice.link.LinkDefinitions;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;

/**
 * What a restart of Sluice (or another instance taking a link over) does to one link, inside the running test app:
 * the link's route and its in-memory status are dropped, its state stays in the store, and its definition is added
 * again as the routes directory adds it at start-up (auto-started unless its recorded state says otherwise).
 */
public final class LinkRestart {

    private LinkRestart() {
    }

    public static void restart(CamelContext camel, LinkDefinitions definitions, LinkStatsRegistry stats, String id,
            String yaml) throws Exception {
        camel.getRouteController().stopRoute(id);
        camel.removeRoute(id);
        ModelCamelContext model = (ModelCamelContext) camel;
        if (model.getRouteDefinition(id) != null) {
            model.removeRouteDefinition(model.getRouteDefinition(id));
        }
        stats.remove(id);
        model.addRouteDefinitions(definitions.parse(yaml));
    }
}
