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
 * {@code kafka-change:<topic>}: the Kafka sink of the DTS links. Encodes each change event of an exchange (Canal JSON
 * or DTS Avro), sends them with an idempotent producer and returns only when Kafka acknowledged all of them.
 */
@ApplicationScoped
@Named("kafka-change")
public class ChangeKafkaComponent extends DefaultComponent {

    @Inject
    LinkStatsRegistry stats;

    @Inject
    KafkaConfig config;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ChangeKafkaEndpoint endpoint = new ChangeKafkaEndpoint(uri, this, remaining);
        endpoint.getAdditionalProperties().putAll(PropertiesHelper.extractProperties(parameters, "additionalProperties."));
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    KafkaConfig config() {
        return config;
    }

    LinkStatsRegistry stats() {
        return stats;
    }
}
