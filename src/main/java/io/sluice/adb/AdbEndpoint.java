package io.sluice.adb;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.RowPreview;
import io.sluice.base.SourceRecord;
import io.sluice.deadletter.DeadLetterChannel;
import io.sluice.deadletter.DeadLetterTable;
import io.sluice.jdbc.WriteMode;
import io.sluice.kafka.DeadLetterTopic;
import io.sluice.record.DirtyDataPolicy;
import io.sluice.record.JsonFlattener;
import io.sluice.record.UnixTimestampUnit;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import javax.sql.DataSource;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Options of the AnalyticDB sink (seeds 000/001: parsed JSON layers, field mapping, timestamps, dirty data). */
@UriEndpoint(scheme = "adb", title = "AnalyticDB for MySQL sink", syntax = "adb:table", producerOnly = true,
        category = {Category.DATABASE})
public class AdbEndpoint extends DefaultEndpoint implements RowPreview, DirtyDataChannel {

    @UriPath(description = "Destination table as <database>.<table>") @Metadata(required = true)
    private final String table;
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

    /** Created on first use: the options are set after construction. */
    private AdbWriter writer;

    AdbEndpoint(String uri, AdbComponent component, String table) {
        super(uri, component);
        this.table = table;
    }

    void validate() {
        if (table == null || !table.matches("[^.]+\\.[^.]+")) {
            throw new IllegalArgumentException("adb needs the destination as <database>.<table>, e.g. adb:shop.orders");
        }
        if (parsedJsonLayers < 0 || parsedJsonLayers > JsonFlattener.MAX_LAYERS) {
            throw new IllegalArgumentException("parsedJsonLayers must be 0 to 4, not " + parsedJsonLayers);
        }
        unixTimestampUnit();
        dirtyDataPolicy();
        writeModeValue();
        if (writerConnections < 1 || writerConnections > 16) {
            throw new IllegalArgumentException("writerConnections must be 1 to 16, not " + writerConnections);
        }
        zone();
        userMapping();
        if (deadLetterTable != null && !deadLetterTable.matches("[^.]+\\.[^.]+")) {
            throw new IllegalArgumentException("deadLetterTable must be <database>.<table>, not " + deadLetterTable);
        }
        if (deadLetterTopic != null) {
            component().kafkaCluster(deadLetterKafka, "deadLetterKafka");
        }
    }

    String database() {
        return table.substring(0, table.indexOf('.'));
    }

    String tableName() {
        return table.substring(table.indexOf('.') + 1);
    }

    /** The dead-letter channel these options name: a Kafka topic when deadLetterTopic is set, else a table. */
    DeadLetterChannel deadLetterChannel() {
        if (deadLetterTopic != null) {
            return new DeadLetterTopic(component().kafkaCluster(deadLetterKafka, "deadLetterKafka").clientProperties(),
                    deadLetterTopic);
        }
        return new DeadLetterTable(this::lookupDataSource,
                deadLetterTable != null ? deadLetterTable : database() + ".sluice_dirty_data");
    }

    UnixTimestampUnit unixTimestampUnit() {
        return UnixTimestampUnit.parse(unixTimestampUnit);
    }

    DirtyDataPolicy dirtyDataPolicy() {
        return DirtyDataPolicy.parse(dirtyDataMode);
    }

    WriteMode writeModeValue() {
        return WriteMode.parse(writeMode);
    }

    ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    Map<String, String> userMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        if (mapping != null && !mapping.isBlank()) {
            for (String pair : mapping.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new IllegalArgumentException("mapping entry '" + pair.trim()
                            + "' is not column=field.path (e.g. mapping=name=user.name,ts=event.time)");
                }
                m.put(kv[0].trim(), kv[1].trim());
            }
        }
        return m;
    }

    Set<String> skipColumnSet() {
        Set<String> s = new LinkedHashSet<>();
        if (skipColumns != null) {
            for (String c : skipColumns.split(",")) {
                if (!c.isBlank()) {
                    s.add(c.trim());
                }
            }
        }
        return s;
    }

    DataSource lookupDataSource() {
        return component().dataSources().get(dataSource);
    }

    synchronized AdbWriter writer() {
        if (writer == null) {
            writer = new AdbWriter(this);
        }
        return writer;
    }

    AdbComponent component() {
        return (AdbComponent) getComponent();
    }

    @Override
    public Producer createProducer() {
        return new AdbProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("adb is a sink: use it in 'to'");
    }

    @Override
    public Map<String, Object> preview(SourceRecord record) {
        return writer().preview(record);
    }

    @Override
    public List<Map<String, Object>> dirtyRecords(String linkId, int limit) {
        return writer().deadLetters().read(linkId, limit);
    }

    public String getTable() {
        return table;
    }

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

    @Override
    protected void doStop() throws Exception {
        AdbWriter w;
        synchronized (this) {
            w = writer;
            writer = null; // options or the destination may change before the next start
        }
        if (w != null) {
            w.close();
        }
        super.doStop();
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
