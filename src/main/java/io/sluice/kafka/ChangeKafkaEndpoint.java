package io.sluice.kafka;

import io.sluice.base.Errors;
import io.sluice.base.PrecheckItem;
import io.sluice.base.Precheckable;
import io.sluice.change.CanalJsonEncoder;
import io.sluice.change.ChangeEncoder;
import io.sluice.change.DtsAvroEncoder;
import io.sluice.change.PartitionPolicy;
import io.sluice.change.SourceTimeZone;
import io.sluice.change.TablesWithoutKey;
import io.sluice.change.TopicMapping;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The Kafka sink for change events (seed 004): its options are {@link ChangeKafkaOptions}. */
@UriEndpoint(scheme = "kafka-change", title = "Kafka change-event sink", syntax = "kafka-change:topic",
        producerOnly = true, category = {Category.MESSAGING})
public class ChangeKafkaEndpoint extends DefaultEndpoint implements Precheckable, TablesWithoutKey,
        io.sluice.base.DataSourceSink {

    @UriPath(description = "Topic that receives the changes") @Metadata(required = true)
    private final String topic;
    @UriParam
    private final ChangeKafkaOptions options;

    private TopicMapping mapping;
    private Map<String, List<String>> keyColumns = Map.of();

    ChangeKafkaEndpoint(String uri, ChangeKafkaComponent component, String topic, ChangeKafkaOptions options) {
        super(uri, component);
        this.topic = topic;
        this.options = options;
    }

    void validate() {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka-change needs a topic: kafka-change:<topic>");
        }
        clientProperties();
        String timeZone = options.getTimeZone();
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("timeZone is not a time zone: '" + timeZone + "' (e.g. +08:00, "
                        + "Asia/Shanghai; leave it out for the source server's time_zone)");
            }
        }
        encoder(null);
        policy();
        if (!Set.of("stop", "dead-letter").contains(options.getOversizedRecordMode())) {
            throw new IllegalArgumentException("oversizedRecordMode must be stop or dead-letter, not "
                    + options.getOversizedRecordMode());
        }
        if (!Set.of("lz4", "gzip", "snappy", "zstd", "none").contains(options.getCompression())) {
            throw new IllegalArgumentException("compression must be lz4, gzip or snappy, not " + options.getCompression());
        }
        Map<String, String> topics = new LinkedHashMap<>();
        pairs(options.getTableTopics(), "tableTopics").forEach((table, t) -> topics.put(table, t));
        mapping = new TopicMapping(topic, options.getDdlTopic(), topics);
        Map<String, List<String>> keys = new HashMap<>();
        pairs(options.getPartitionKeys(), "partitionKeys").forEach((table, cols) ->
                keys.put(table, List.of(cols.split("\\s*,\\s*"))));
        keyColumns = keys;
    }

    /** {@code a=b;c=d} as a map; keys are {@code database.table}. */
    private static Map<String, String> pairs(String text, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 1 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(option + " entry '" + entry.strip() + "' is not <database>.<table>=<value>");
            }
            out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return out;
    }

    /**
     * The encoder for batches from a source whose server shows TIMESTAMP values in {@code sourceZone} (the batch's
     * {@link SourceTimeZone} property; null when it has none): the {@code timeZone} option when set, else that zone,
     * else UTC.
     */
    ChangeEncoder encoder(ZoneId sourceZone) {
        String timeZone = options.getTimeZone();
        ZoneId zone = timeZone != null ? ZoneId.of(timeZone) : sourceZone != null ? sourceZone : ZoneOffset.UTC;
        return switch (options.getFormat()) {
            case "canal-json" -> new CanalJsonEncoder(zone, Clock.systemUTC());
            case "dts-avro" -> new DtsAvroEncoder(options.getSourceVersion());
            default -> throw new IllegalArgumentException("format must be canal-json or dts-avro, not " + options.getFormat());
        };
    }

    PartitionPolicy policy() {
        String partitionPolicy = options.getPartitionPolicy();
        try {
            return PartitionPolicy.valueOf(partitionPolicy.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("partitionPolicy must be all-to-zero, by-table or by-primary-key, not "
                    + partitionPolicy);
        }
    }

    @Override
    public DataSourceRef sinkDataSource() {
        return options.getDataSource() == null ? null : new DataSourceRef("kafka", options.getDataSource());
    }

    /** Brokers given in the URI: the same test as a Kafka data source's. */
    @Override
    public Destination otherDestination() {
        String where = "brokers of kafka-change:" + topic;
        return new Destination("Kafka brokers " + options.getBrokers(),
                () -> KafkaClusters.test(clientProperties(), where));
    }

    /** bootstrap servers and client (security) settings, shared by the producer, the admin client and the dead-letter topic. */
    Properties clientProperties() {
        return KafkaClusters.clientProperties(component().config().kafka(), "kafka-change:" + topic, options.getDataSource(),
                options.getBrokers());
    }

    Properties producerProperties() {
        Properties p = clientProperties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.putAll(options.getAdditionalProperties());
        String acks = options.getAcks();
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        // idempotence keeps retried sends in order without duplicates; Kafka allows it with acks=all only
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf("all".equals(acks) || "-1".equals(acks)));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.getCompression());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(options.getMaxRecordBytes() + 64 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return p;
    }

    /** Every topic the link may write to. */
    Set<String> topics() {
        Set<String> all = new LinkedHashSet<>();
        all.add(topic);
        if (options.getDdlTopic() != null) {
            all.add(options.getDdlTopic());
        }
        all.addAll(mapping.tableTopics().values());
        if ("dead-letter".equals(options.getOversizedRecordMode())) {
            all.add(deadLetterTopicName());
        }
        return all;
    }

    String deadLetterTopicName() {
        return options.getDeadLetterTopic() != null ? options.getDeadLetterTopic() : topic + ".dead-letter";
    }

    /** Destination reachable, and its topics there (or createTopics). Creates the missing ones when asked to. */
    @Override
    public List<PrecheckItem> precheck() {
        List<PrecheckItem> items = new ArrayList<>();
        Properties p = clientProperties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing;
            try {
                existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                items.add(PrecheckItem.unreachable("destination kafka", "Kafka at " + p.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                        + " did not answer: " + Errors.describe(e), "check the brokers / data source, that the brokers run "
                        + "and that this host may reach them"));
                return items;
            }
            items.add(PrecheckItem.pass("destination kafka", "Kafka at " + p.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " answers"));
            List<String> missing = topics().stream().filter(t -> !existing.contains(t)).toList();
            if (missing.isEmpty()) {
                items.add(PrecheckItem.pass("destination topics", "topics " + topics() + " exist"));
            } else if (options.isCreateTopics()) {
                items.add(PrecheckItem.pass("destination topics", "topics " + missing + " are missing and created on start "
                        + "with " + options.getPartitions() + " partitions (createTopics=true)"));
            } else {
                items.add(PrecheckItem.fail("destination topics", "topics " + missing + " do not exist",
                        "create them, or set createTopics=true (and partitions) on the link's kafka-change sink"));
            }
        }
        return items;
    }

    /**
     * A table without a key: the record key is null as for every table, the format names no key columns, and
     * by-primary-key partitioning has no key to hash ({@link PartitionPolicy#BY_PRIMARY_KEY}).
     */
    @Override
    public String withoutKey() {
        String format = "dts-avro".equals(options.getFormat()) ? "DTS Avro records have no pk_uk_info tag"
                : "Canal JSON messages have pkNames null";
        String partitions = policy() == PartitionPolicy.BY_PRIMARY_KEY
                ? "partitionPolicy by-primary-key ships such a table's changes to the table's partition, as by-table "
                + "does (unless partitionKeys names columns for it), so its changes stay in order"
                : "partitionPolicy " + options.getPartitionPolicy() + " ships them as any table's";
        return "Kafka: " + format + "; " + partitions;
    }

    /** Creates the missing topics (createTopics=true). */
    void createMissingTopics() throws Exception {
        if (!options.isCreateTopics()) {
            return;
        }
        try (Admin admin = Admin.create(clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(options.getPartitions()), Optional.empty())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    TopicMapping mapping() {
        return mapping;
    }

    List<String> keyColumns(String table) {
        return keyColumns.get(table);
    }

    @Override
    public Producer createProducer() {
        return new ChangeKafkaProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("kafka-change is a sink: use it in 'to'");
    }

    ChangeKafkaComponent component() {
        return (ChangeKafkaComponent) getComponent();
    }

    public String getTopic() {
        return topic;
    }

    public ChangeKafkaOptions getOptions() {
        return options;
    }
}
