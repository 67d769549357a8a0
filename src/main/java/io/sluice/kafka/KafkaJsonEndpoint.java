package io.sluice.kafka;

import io.sluice.base.PreviewableSource;
import io.sluice.base.SourceRecord;
import io.sluice.source.TimedSourceEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Options of the Kafka JSON source (seed 001: data source, start offset). */
@UriEndpoint(scheme = "kafka-json", title = "Kafka JSON source", syntax = "kafka-json:topic",
        consumerOnly = true, category = {Category.MESSAGING})
public class KafkaJsonEndpoint extends TimedSourceEndpoint implements PreviewableSource, MultipleConsumersSupport {

    @UriPath(description = "Topic to read") @Metadata(required = true)
    private final String topic;
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

    KafkaJsonEndpoint(String uri, KafkaJsonComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    void validate() {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka-json needs a topic: kafka-json:<topic>");
        }
        clientProperties();
        startTimeMillis();
    }


    private Properties clientProperties() {
        return KafkaClusters.clientProperties(component().clusters(), "kafka-json:" + topic, dataSource, brokers);
    }

    /** The brokers this link reads from, for messages. */
    String bootstrapServers() {
        return clientProperties().getProperty("bootstrap.servers");
    }

    /** The cluster's declared client properties, then the link's own, then what the source needs to be safe. */
    Properties consumerProperties(String group) {
        Properties p = new Properties();
        // a killed instance's partitions go to the others (or to its restart) after 10 s rather than Kafka's 45 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        p.putAll(clientProperties());
        p.putAll(additionalProperties);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(batchSize));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KafkaJsonConsumer consumer = new KafkaJsonConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Each consumer has its own Kafka consumer: links reading one topic (in one group or several) can share an endpoint. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kafka-json is a source: use it in 'from'");
    }

    /** The latest records over all partitions, read by a group-less consumer that commits nothing. */
    @Override
    public List<SourceRecord> latest(int count) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return TopicTail.newest(c, topic, count).stream()
                    .limit(count)
                    .map(KafkaJsonConsumer::toSourceRecord)
                    .toList();
        }
    }

    public String getTopic() {
        return topic;
    }

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

    KafkaJsonComponent component() {
        return (KafkaJsonComponent) getComponent();
    }
}
