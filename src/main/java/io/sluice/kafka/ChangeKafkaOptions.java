package io.sluice.kafka;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import java.util.HashMap;
import java.util.Map;

/**
 * Options of the Kafka sink for change events (seed 004: topic, DDL topic, format, partitions, compression, acks).
 * Bound by reflection on the setters (hence registered for the native image).
 */
@UriParams
@RegisterForReflection
public class ChangeKafkaOptions {

    private static final int DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024;

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
