package io.sluice.link;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;

import java.util.function.Consumer;

/**
 * Calls {@code action} on every link definition as it is added to Camel (from the routes directory or the API),
 * before its route is created. Removals and templates are no concern of the control plane's hooks (kamelet
 * inlining, the recorded run state): a definition removed for an edit keeps what was recorded for it.
 */
final class RouteDefinitionsAdded {

    private RouteDefinitionsAdded() {
    }

    static void onEach(CamelContext camel, Consumer<RouteDefinition> action) {
        ((ModelCamelContext) camel).addModelLifecycleStrategy(new ModelLifecycleStrategy() {
            @Override
            public void onAddRouteDefinition(RouteDefinition def) {
                action.accept(def);
            }

            @Override
            public void onRemoveRouteDefinition(RouteDefinition def) {
                // nothing to undo
            }

            @Override
            public void onAddRouteTemplateDefinition(RouteTemplateDefinition def) {
                // templates are no links
            }

            @Override
            public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition def) {
                // templates are no links
            }
        });
    }
}
