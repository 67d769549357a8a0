package io.sluice.kafka;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.source.TimedSourceOptions;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import java.util.HashMap;
import java.util.Map;

/** Options of the Kafka JSON source (seed 001: data source, start offset); bound by reflection on the setters. */
@UriParams
@RegisterForReflection
public class KafkaJsonOptions extends TimedSourceOptions {

    @UriParam(description = "Kafka data source: a cluster declared as sluice.kafka.<name>.bootstrap-servers "
            + "(+ properties.*) in application.properties. Either this or brokers")
    private String dataSource;
    @UriParam(description = "Kafka bootstrap servers, when no dataSource is named")
    private String brokers;
    @UriParam(description = "Consumer group; instances running the same link share the partitions. Default: sluice-<link id>")
    private String groupId;
    @UriParam(description = "Most records per batch (one transaction in the sink)", defaultValue = "20000")
    private int batchSize = 20_000;
    @UriParam(description = "Longest wait for a batch, ms", defaultValue = "500")
    private long pollTimeoutMs = 500;
    @UriParam(prefix = "additionalProperties.", multiValue = true,
            description = "Kafka consumer properties passed through, e.g. additionalProperties.security.protocol=SASL_SSL")
    private Map<String, Object> additionalProperties = new HashMap<>();

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getPollTimeoutMs() {
        return pollTimeoutMs;
    }

    public void setPollTimeoutMs(long pollTimeoutMs) {
        this.pollTimeoutMs = pollTimeoutMs;
    }

    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    public void setAdditionalProperties(Map<String, Object> additionalProperties) {
        this.additionalProperties = additionalProperties;
    }
}
