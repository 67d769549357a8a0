package io.sluice.adb;

import io.sluice.base.LinkStatsRegistry;
import io.sluice.jdbc.JdbcDataSources;
import io.sluice.kafka.KafkaClusters;
import io.sluice.kafka.KafkaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** {@code adb:<database>.<table>}: the AnalyticDB for MySQL sink of the APS links (any MySQL-protocol database). */
@ApplicationScoped
@Named("adb")
public class AdbComponent extends DefaultComponent {

    @Inject
    LinkStatsRegistry stats;

    @Inject
    JdbcDataSources dataSources;

    @Inject
    KafkaConfig kafka;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        AdbEndpoint endpoint = new AdbEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The Kafka data source named by option {@code option}; IllegalArgumentException with the fix when there is none. */
    KafkaConfig.KafkaCluster kafkaCluster(String name, String option) {
        if (name == null) {
            throw new IllegalArgumentException(option + " must name a Kafka data source declared as sluice.kafka.<name>."
                    + "bootstrap-servers in application.properties");
        }
        return KafkaClusters.named(kafka.kafka(), option, name);
    }

    JdbcDataSources dataSources() {
        return dataSources;
    }

    LinkStatsRegistry stats() {
        return stats;
    }
}
