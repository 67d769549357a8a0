package io.sluice.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;

/**
 * Named Kafka clusters (data sources), declared once in application.properties and referenced by links as
 * {@code dataSource=<name>}: {@code sluice.kafka.<name>.bootstrap-servers} and client properties passed through,
 * {@code sluice.kafka.<name>.properties."security.protocol"=SASL_SSL}.
 */
@ConfigMapping(prefix = "sluice.kafka")
public interface KafkaConfig {

    @WithParentName
    Map<String, KafkaCluster> kafka();

    interface KafkaCluster {
        /** host:port,host:port */
        String bootstrapServers();

        /** Client properties passed through, e.g. properties."security.protocol"=SASL_SSL. */
        Map<String, String> properties();

        /** bootstrap.servers plus the declared properties, for any Kafka client. */
        default java.util.Properties clientProperties() {
            java.util.Properties p = new java.util.Properties();
            p.putAll(properties());
            p.put("bootstrap.servers", bootstrapServers());
            return p;
        }
    }
}
