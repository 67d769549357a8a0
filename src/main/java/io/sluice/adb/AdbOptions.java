package io.sluice.adb;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.record.JsonFlattener;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the AnalyticDB sink (seeds 000/001: parsed JSON layers, field mapping, timestamps, dirty data). Bound by
 * reflection on the setters (hence registered for the native image).
 */
@UriParams
@RegisterForReflection
public class AdbOptions {

    @UriParam(description = "Destination data source: 'default' (quarkus.datasource.*), a name declared as "
            + "sluice.jdbc.<name>.* in application.properties, or a DataSource bean", defaultValue = "default")
    private String dataSource = "default";
    @UriParam(description = "Parsed JSON layers, 0-4: 0 writes the whole message as field __value__", defaultValue = "1")
    private int parsedJsonLayers = JsonFlattener.DEFAULT_LAYERS;
    @UriParam(description = "Schema field mapping overrides: column=field.path pairs separated by commas")
    private String mapping;
    @UriParam(description = "Destination columns not to write, separated by commas")
    private String skipColumns;
    @UriParam(description = "Convert Unix timestamps for DATETIME/TIMESTAMP columns: none, seconds, milliseconds, microseconds",
            defaultValue = "none")
    private String unixTimestampUnit = "none";
    @UriParam(description = "Time zone for Unix timestamps and ISO values with an offset", defaultValue = "UTC")
    private String timeZone = "UTC";
    @UriParam(description = "Dirty data processing mode: stop (the link fails) or null (the bad field is written as NULL)",
            defaultValue = "stop")
    private String dirtyDataMode = "stop";
    @UriParam(description = "upsert (INSERT ... ON DUPLICATE KEY UPDATE when the table has a key), insert or insert-ignore",
            defaultValue = "upsert")
    private String writeMode = "upsert";
    @UriParam(description = "Rows per multi-row statement", defaultValue = "1000")
    private int maxRowsPerStatement = 1000;
    @UriParam(description = "Connections writing one batch in parallel, rows of one primary key always on the same "
            + "connection; used when the table has a primary key and writeMode is upsert or insert-ignore (a batch "
            + "replayed after a partial commit then changes nothing), else 1", defaultValue = "2")
    private int writerConnections = 2;
    @UriParam(description = "Dead-letter table for dirty records, <database>.<table>; created when missing. "
            + "Default: sluice_dirty_data in the destination database")
    private String deadLetterTable;
    @UriParam(description = "Send dirty records to this Kafka topic instead of the dead-letter table")
    private String deadLetterTopic;
    @UriParam(description = "Kafka data source (sluice.kafka.<name>) of deadLetterTopic")
    private String deadLetterKafka;

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public int getParsedJsonLayers() {
        return parsedJsonLayers;
    }

    public void setParsedJsonLayers(int parsedJsonLayers) {
        this.parsedJsonLayers = parsedJsonLayers;
    }

    public String getMapping() {
        return mapping;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public String getSkipColumns() {
        return skipColumns;
    }

    public void setSkipColumns(String skipColumns) {
        this.skipColumns = skipColumns;
    }

    public String getUnixTimestampUnit() {
        return unixTimestampUnit;
    }

    public void setUnixTimestampUnit(String unixTimestampUnit) {
        this.unixTimestampUnit = unixTimestampUnit;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getDirtyDataMode() {
        return dirtyDataMode;
    }

    public void setDirtyDataMode(String dirtyDataMode) {
        this.dirtyDataMode = dirtyDataMode;
    }

    public String getWriteMode() {
        return writeMode;
    }

    public void setWriteMode(String writeMode) {
        this.writeMode = writeMode;
    }

    public int getWriterConnections() {
        return writerConnections;
    }

    public void setWriterConnections(int writerConnections) {
        this.writerConnections = writerConnections;
    }

    public int getMaxRowsPerStatement() {
        return maxRowsPerStatement;
    }

    public void setMaxRowsPerStatement(int maxRowsPerStatement) {
        this.maxRowsPerStatement = maxRowsPerStatement;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public String getDeadLetterKafka() {
        return deadLetterKafka;
    }

    public void setDeadLetterKafka(String deadLetterKafka) {
        this.deadLetterKafka = deadLetterKafka;
    }

    public String getDeadLetterTable() {
        return deadLetterTable;
    }

    public void setDeadLetterTable(String deadLetterTable) {
        this.deadLetterTable = deadLetterTable;
    }
}
