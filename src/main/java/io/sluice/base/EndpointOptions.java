package io.sluice.base;

import org.apache.camel.Endpoint;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.support.PropertyBindingSupport;

import java.util.Map;

/**
 * Binds a link's endpoint options onto the endpoint's options object (a {@code @UriParams} class), the way Camel binds
 * them onto an endpoint: by reflection on its setters, names in any case, each bound parameter taken out of
 * {@code parameters}. What is left is for the endpoint's own options; an option neither knows stays in the map, and
 * Camel refuses the endpoint naming it ("Unknown parameters"), as before.
 */
public final class EndpointOptions {

    private EndpointOptions() {
    }

    /**
     * Binds onto {@code options}; a value that cannot be bound (a number that is not one) fails naming the endpoint,
     * the option and the value, as when the options were the endpoint's own.
     */
    public static void bind(Endpoint endpoint, Object options, Map<String, Object> parameters) {
        if (parameters.isEmpty()) {
            return;
        }
        try {
            PropertyBindingSupport.build().withIgnoreCase(true).bind(endpoint.getCamelContext(), options, parameters);
        } catch (PropertyBindingException e) {
            throw new PropertyBindingException(endpoint, e.getPropertyName(), e.getValue(), e.getOptionPrefix(),
                    e.getOptionKey(), e.getCause());
        }
    }
}
