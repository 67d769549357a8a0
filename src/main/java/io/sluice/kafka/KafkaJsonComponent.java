package io.sluice.kafka;

import io.sluice.base.LinkStatsRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

import java.util.Map;

/**
 * {@code kafka-json:<topic>}: reads a topic in batches and commits offsets only after the route has processed a
 * batch successfully (the sink has committed it), which Camel's kafka component does not guarantee per batch.
 */
@ApplicationScoped
@Named("kafka-json")
public class KafkaJsonComponent extends DefaultComponent {

    @Inject
    LinkStatsRegistry stats;

    @Inject
    KafkaConfig config;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KafkaJsonEndpoint endpoint = new KafkaJsonEndpoint(uri, this, remaining);
        endpoint.getAdditionalProperties().putAll(PropertiesHelper.extractProperties(parameters, "additionalProperties."));
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    Map<String, KafkaConfig.KafkaCluster> clusters() {
        return config.kafka();
    }

    LinkStatsRegistry stats() {
        return stats;
    }
}
