package io.sluice.kafka;

import io.sluice.base.PreviewableSource;
import io.sluice.base.ResumableSource;
import io.sluice.base.SourceRecord;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.util.List;
import java.util.Objects;
import java.util.Properties;

/** The Kafka JSON source (seed 001): a topic read in batches; its options are {@link KafkaJsonOptions}. */
@UriEndpoint(scheme = "kafka-json", title = "Kafka JSON source", syntax = "kafka-json:topic",
        consumerOnly = true, category = {Category.MESSAGING})
public class KafkaJsonEndpoint extends DefaultEndpoint implements PreviewableSource, MultipleConsumersSupport,
        ResumableSource {

    @UriPath(description = "Topic to read") @Metadata(required = true)
    private final String topic;
    @UriParam
    private final KafkaJsonOptions options;

    KafkaJsonEndpoint(String uri, KafkaJsonComponent component, String topic, KafkaJsonOptions options) {
        super(uri, component);
        this.topic = topic;
        this.options = options;
    }

    void validate() {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka-json needs a topic: kafka-json:<topic>");
        }
        clientProperties();
        options.startTimeMillis();
    }

    private Properties clientProperties() {
        return KafkaClusters.clientProperties(component().clusters(), "kafka-json:" + topic, options.getDataSource(),
                options.getBrokers());
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
        p.putAll(options.getAdditionalProperties());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(options.getBatchSize()));
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

    /**
     * The link's position is its consumer group's committed offsets in one topic of one cluster: a new definition keeps
     * it only when it reads the same topic of the same cluster in the same group. A changed startTime is an explicit
     * reset, which the consumer recognises by the mark it commits with the offsets.
     */
    @Override
    public String positionLostBy(Endpoint replacement) {
        String what = null;
        if (!(replacement instanceof KafkaJsonEndpoint next)) {
            what = "it would read " + replacement.getEndpointBaseUri() + " instead of kafka-json:" + topic;
        } else if (!topic.equals(next.topic)) {
            what = "it would read topic " + next.topic + " instead of " + topic;
        } else if (!Objects.equals(options.getGroupId(), next.options.getGroupId())) {
            what = "it would read in consumer group " + groupLabel(next.options.getGroupId()) + " instead of "
                    + groupLabel(options.getGroupId());
        } else if (!bootstrapServers().equals(next.bootstrapServers())) {
            what = "it would read the cluster at " + next.bootstrapServers() + " instead of " + bootstrapServers();
        }
        return what == null ? null : what + ", and the link's position is its group's offsets in topic " + topic
                + " of " + bootstrapServers() + ". Keep the topic, group and cluster (a new startTime starts the link "
                + "again from that time), or add a new link for the new source and delete this one";
    }

    private static String groupLabel(String groupId) {
        return groupId == null ? "sluice-<link id> (the default)" : groupId;
    }

    public String getTopic() {
        return topic;
    }

    public KafkaJsonOptions getOptions() {
        return options;
    }

    KafkaJsonComponent component() {
        return (KafkaJsonComponent) getComponent();
    }
}
