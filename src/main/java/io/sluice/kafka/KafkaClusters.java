package io.sluice.kafka;


import java.util.Map;
import java.util.Properties;

/**
 * Which Kafka cluster an endpoint talks to: a declared data source ({@code dataSource=<name>}, from
 * {@code sluice.kafka.<name>.*}) or plain {@code brokers}. One rule and one set of messages for every Kafka endpoint.
 */
public final class KafkaClusters {

    private KafkaClusters() {
    }

    /** The declared cluster {@code name}; IllegalArgumentException naming the fix when it is not declared. */
    public static KafkaConfig.KafkaCluster named(Map<String, KafkaConfig.KafkaCluster> declared, String where, String name) {
        KafkaConfig.KafkaCluster c = declared.get(name);
        if (c == null) {
            throw new IllegalArgumentException(where + ": no Kafka data source named '" + name
                    + "': declare sluice.kafka." + name + ".bootstrap-servers in application.properties");
        }
        return c;
    }

    /**
     * bootstrap.servers and the data source's client (security) properties.
     *
     * @param where e.g. "kafka-json:orders", for messages
     * @throws IllegalArgumentException naming the fix when neither is given or the data source is not declared
     */
    public static Properties clientProperties(Map<String, KafkaConfig.KafkaCluster> declared, String where,
                                              String dataSource, String brokers) {
        if (dataSource != null) {
            return named(declared, where, dataSource).clientProperties();
        }
        if (brokers == null || brokers.isBlank()) {
            throw new IllegalArgumentException(where + " needs a dataSource (a sluice.kafka.<name> cluster) "
                    + "or brokers (e.g. brokers={{kafka.bootstrap.servers}})");
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        return p;
    }
}
