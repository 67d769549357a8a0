package io.sluice.kafka;

import io.sluice.base.Errors;
import io.sluice.base.PrecheckItem;
import io.sluice.base.Precheckable;
import io.sluice.change.CanalJsonEncoder;
import io.sluice.change.ChangeEncoder;
import io.sluice.change.DtsAvroEncoder;
import io.sluice.change.PartitionPolicy;
import io.sluice.change.SourceTimeZone;
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

/** Options of the Kafka sink for change events (seed 004: topic, DDL topic, format, partitions, compression, acks). */
@UriEndpoint(scheme = "kafka-change", title = "Kafka change-event sink", syntax = "kafka-change:topic",
        producerOnly = true, category = {Category.MESSAGING})
public class ChangeKafkaEndpoint extends DefaultEndpoint implements Precheckable {

    static final int DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024;

    @UriPath(description = "Topic that receives the changes") @Metadata(required = true)
    private final String topic;
    @UriParam(description = "Kafka data source: sluice.kafka.<name>.bootstrap-servers. Either this or brokers")
    private String dataSource;
    @UriParam(description = "Kafka bootstrap servers, when no dataSource is named")
    private String brokers;
    @UriParam(description = "canal-json or dts-avro", defaultValue = "canal-json")
    private String format = "canal-json";
    @UriParam(description = "Topic that stores DDL; default: the data topic")
    private String ddlTopic;
    @UriParam(description = "Per-table topics: db.table=topic;db.table2=topic2")
    private String tableTopics;
    @UriParam(description = "all-to-zero, by-table or by-primary-key", defaultValue = "all-to-zero")
    private String partitionPolicy = "all-to-zero";
    @UriParam(description = "Per-table partition-key columns for by-primary-key: db.table=col1,col2;db.t2=col")
    private String partitionKeys;
    @UriParam(description = "lz4, gzip, snappy (or zstd, none)", defaultValue = "lz4")
    private String compression = "lz4";
    @UriParam(description = "Producer acks: all, 1 or 0", defaultValue = "all")
    private String acks = "all";
    @UriParam(description = "Create missing topics (with partitions) when the link starts", defaultValue = "false")
    private boolean createTopics;
    @UriParam(description = "Partitions of topics created by createTopics", defaultValue = "1")
    private int partitions = 1;
    @UriParam(description = "Largest encoded record, bytes", defaultValue = "10485760")
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    @UriParam(description = "stop (the link fails naming table, key and size) or dead-letter", defaultValue = "stop")
    private String oversizedRecordMode = "stop";
    @UriParam(description = "Dead-letter topic for oversized records; default <topic>.dead-letter")
    private String deadLetterTopic;
    @UriParam(description = "Zone TIMESTAMP values are written in (Canal JSON); default: the source server's time_zone "
            + "as the source reads it at the link's start (UTC when the batches do not carry one)")
    private String timeZone;
    @UriParam(description = "Source server version written by DTS Avro", defaultValue = "MySQL")
    private String sourceVersion = "MySQL";
    @UriParam(prefix = "additionalProperties.", multiValue = true,
            description = "Kafka producer properties passed through, e.g. additionalProperties.security.protocol=SASL_SSL")
    private Map<String, Object> additionalProperties = new HashMap<>();

    private TopicMapping mapping;
    private Map<String, List<String>> keyColumns = Map.of();

    ChangeKafkaEndpoint(String uri, ChangeKafkaComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    void validate() {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka-change needs a topic: kafka-change:<topic>");
        }
        clientProperties();
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
        if (!Set.of("stop", "dead-letter").contains(oversizedRecordMode)) {
            throw new IllegalArgumentException("oversizedRecordMode must be stop or dead-letter, not " + oversizedRecordMode);
        }
        if (!Set.of("lz4", "gzip", "snappy", "zstd", "none").contains(compression)) {
            throw new IllegalArgumentException("compression must be lz4, gzip or snappy, not " + compression);
        }
        Map<String, String> topics = new LinkedHashMap<>();
        pairs(tableTopics, "tableTopics").forEach((table, t) -> topics.put(table, t));
        mapping = new TopicMapping(topic, ddlTopic, topics);
        Map<String, List<String>> keys = new HashMap<>();
        pairs(partitionKeys, "partitionKeys").forEach((table, cols) ->
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
        ZoneId zone = timeZone != null ? ZoneId.of(timeZone) : sourceZone != null ? sourceZone : ZoneOffset.UTC;
        return switch (format) {
            case "canal-json" -> new CanalJsonEncoder(zone, Clock.systemUTC());
            case "dts-avro" -> new DtsAvroEncoder(sourceVersion);
            default -> throw new IllegalArgumentException("format must be canal-json or dts-avro, not " + format);
        };
    }

    PartitionPolicy policy() {
        try {
            return PartitionPolicy.valueOf(partitionPolicy.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("partitionPolicy must be all-to-zero, by-table or by-primary-key, not "
                    + partitionPolicy);
        }
    }

    /** bootstrap servers and client (security) settings, shared by the producer, the admin client and the dead-letter topic. */
    Properties clientProperties() {
        return KafkaClusters.clientProperties(component().config().kafka(), "kafka-change:" + topic, dataSource, brokers);
    }

    Properties producerProperties() {
        Properties p = clientProperties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.putAll(additionalProperties);
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        // idempotence keeps retried sends in order without duplicates; Kafka allows it with acks=all only
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf("all".equals(acks) || "-1".equals(acks)));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxRecordBytes + 64 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return p;
    }

    /** Every topic the link may write to. */
    Set<String> topics() {
        Set<String> all = new LinkedHashSet<>();
        all.add(topic);
        if (ddlTopic != null) {
            all.add(ddlTopic);
        }
        all.addAll(mapping.tableTopics().values());
        if ("dead-letter".equals(oversizedRecordMode)) {
            all.add(deadLetterTopicName());
        }
        return all;
    }

    String deadLetterTopicName() {
        return deadLetterTopic != null ? deadLetterTopic : topic + ".dead-letter";
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
            } else if (createTopics) {
                items.add(PrecheckItem.pass("destination topics", "topics " + missing + " are missing and created on start "
                        + "with " + partitions + " partitions (createTopics=true)"));
            } else {
                items.add(PrecheckItem.fail("destination topics", "topics " + missing + " do not exist",
                        "create them, or set createTopics=true (and partitions) on the link's kafka-change sink"));
            }
        }
        return items;
    }

    /** Creates the missing topics (createTopics=true). */
    void createMissingTopics() throws Exception {
        if (!createTopics) {
            return;
        }
        try (Admin admin = Admin.create(clientProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty())).toList();
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

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getDdlTopic() {
        return ddlTopic;
    }

    public void setDdlTopic(String ddlTopic) {
        this.ddlTopic = ddlTopic;
    }

    public String getTableTopics() {
        return tableTopics;
    }

    public void setTableTopics(String tableTopics) {
        this.tableTopics = tableTopics;
    }

    public String getPartitionPolicy() {
        return partitionPolicy;
    }

    public void setPartitionPolicy(String partitionPolicy) {
        this.partitionPolicy = partitionPolicy;
    }

    public String getPartitionKeys() {
        return partitionKeys;
    }

    public void setPartitionKeys(String partitionKeys) {
        this.partitionKeys = partitionKeys;
    }

    public String getCompression() {
        return compression;
    }

    public void setCompression(String compression) {
        this.compression = compression;
    }

    public String getAcks() {
        return acks;
    }

    public void setAcks(String acks) {
        this.acks = acks;
    }

    public boolean isCreateTopics() {
        return createTopics;
    }

    public void setCreateTopics(boolean createTopics) {
        this.createTopics = createTopics;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public int getMaxRecordBytes() {
        return maxRecordBytes;
    }

    public void setMaxRecordBytes(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public String getOversizedRecordMode() {
        return oversizedRecordMode;
    }

    public void setOversizedRecordMode(String oversizedRecordMode) {
        this.oversizedRecordMode = oversizedRecordMode;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getSourceVersion() {
        return sourceVersion;
    }

    public void setSourceVersion(String sourceVersion) {
        this.sourceVersion = sourceVersion;
    }

    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    public void setAdditionalProperties(Map<String, Object> additionalProperties) {
        this.additionalProperties = additionalProperties;
    }
}
