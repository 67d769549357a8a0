package io.sluice.kafka;

import io.sluice.link.PreviewableSource;
import io.sluice.link.SourceRecord;
import io.sluice.source.TimedSourceEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Options of the Kafka JSON source (seed 001: data source, start offset). */
@UriEndpoint(scheme = "kafka-json", title = "Kafka JSON source", syntax = "kafka-json:topic",
        consumerOnly = true, category = {Category.MESSAGING})
public class KafkaJsonEndpoint extends TimedSourceEndpoint implements PreviewableSource {

    @UriPath(description = "Topic to read") @Metadata(required = true)
    private final String topic;
    @UriParam(description = "Kafka bootstrap servers") @Metadata(required = true)
    private String brokers;
    @UriParam(description = "Consumer group; instances running the same link share the partitions. Default: sluice-<link id>")
    private String groupId;
    @UriParam(description = "Most records per batch", defaultValue = "2000")
    private int batchSize = 2000;
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
        if (brokers == null || brokers.isBlank()) {
            throw new IllegalArgumentException("kafka-json:" + topic + " needs brokers (e.g. brokers={{kafka.bootstrap.servers}})");
        }
        startTimeMillis();
    }


    Properties consumerProperties(String group) {
        Properties p = new Properties();
        p.putAll(additionalProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
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

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kafka-json is a source: use it in 'from'");
    }

    /** The latest records over all partitions, read by a group-less consumer that commits nothing. */
    @Override
    public List<SourceRecord> latest(int count) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            Map<TopicPartition, Long> begins = c.beginningOffsets(partitions);
            long pending = 0;
            for (TopicPartition tp : partitions) {
                long from = Math.max(begins.get(tp), ends.get(tp) - count);
                c.seek(tp, from);
                pending += ends.get(tp) - from;
            }
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (all.size() < pending && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all.stream()
                    .sorted(Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> r.timestamp()).reversed())
                    .limit(count)
                    .map(KafkaJsonConsumer::toSourceRecord)
                    .toList();
        }
    }

    public String getTopic() {
        return topic;
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
