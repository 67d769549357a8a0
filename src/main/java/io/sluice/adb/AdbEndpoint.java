package io.sluice.adb;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.PrecheckItem;
import io.sluice.base.Precheckable;
import io.sluice.base.RowPreview;
import io.sluice.base.SourceRecord;
import io.sluice.deadletter.DeadLetterChannel;
import io.sluice.deadletter.DeadLetterTable;
import io.sluice.jdbc.TableSchema;
import io.sluice.jdbc.TableSchemaReader;
import io.sluice.jdbc.WriteMode;
import io.sluice.kafka.DeadLetterTopic;
import io.sluice.record.DirtyDataPolicy;
import io.sluice.record.FieldMapping;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/** The AnalyticDB sink (seeds 000/001): its options are {@link AdbOptions}. */
@UriEndpoint(scheme = "adb", title = "AnalyticDB for MySQL sink", syntax = "adb:table", producerOnly = true,
        category = {Category.DATABASE})
public class AdbEndpoint extends DefaultEndpoint implements RowPreview, DirtyDataChannel, Precheckable,
        io.sluice.base.DataSourceSink {

    @UriPath(description = "Destination table as <database>.<table>") @Metadata(required = true)
    private final String table;
    @UriParam
    private final AdbOptions options;

    /** Created on first use: the options are set after construction. */
    private AdbWriter writer;
    /** One write at a time into the destination: a live batch or a replay chunk ({@link AdbWriter#replay}). */
    private final ReentrantLock writes = new ReentrantLock();
    /** One replay at a time: two would both write a record and both renew its entries. */
    private final ReentrantLock replaying = new ReentrantLock();

    AdbEndpoint(String uri, AdbComponent component, String table, AdbOptions options) {
        super(uri, component);
        this.table = table;
        this.options = options;
    }

    void validate() {
        if (table == null || !table.matches("[^.]+\\.[^.]+")) {
            throw new IllegalArgumentException("adb needs the destination as <database>.<table>, e.g. adb:shop.orders");
        }
        int parsedJsonLayers = options.getParsedJsonLayers();
        if (parsedJsonLayers < 0 || parsedJsonLayers > JsonFlattener.MAX_LAYERS) {
            throw new IllegalArgumentException("parsedJsonLayers must be 0 to 4, not " + parsedJsonLayers);
        }
        unixTimestampUnit();
        dirtyDataPolicy();
        writeModeValue();
        int writerConnections = options.getWriterConnections();
        if (writerConnections < 1 || writerConnections > 16) {
            throw new IllegalArgumentException("writerConnections must be 1 to 16, not " + writerConnections);
        }
        zone();
        userMapping();
        String deadLetterTable = options.getDeadLetterTable();
        if (deadLetterTable != null && !deadLetterTable.matches("[^.]+\\.[^.]+")) {
            throw new IllegalArgumentException("deadLetterTable must be <database>.<table>, not " + deadLetterTable);
        }
        if (options.getDeadLetterTopic() != null) {
            component().kafkaCluster(options.getDeadLetterKafka(), "deadLetterKafka");
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
        if (options.getDeadLetterTopic() != null) {
            return new DeadLetterTopic(component().kafkaCluster(options.getDeadLetterKafka(), "deadLetterKafka")
                    .clientProperties(), options.getDeadLetterTopic());
        }
        return new DeadLetterTable(this::lookupDataSource, options.getDeadLetterTable() != null
                ? options.getDeadLetterTable() : database() + ".sluice_dirty_data");
    }

    UnixTimestampUnit unixTimestampUnit() {
        return UnixTimestampUnit.parse(options.getUnixTimestampUnit());
    }

    DirtyDataPolicy dirtyDataPolicy() {
        return DirtyDataPolicy.parse(options.getDirtyDataMode());
    }

    WriteMode writeModeValue() {
        return WriteMode.parse(options.getWriteMode());
    }

    ZoneId zone() {
        return ZoneId.of(options.getTimeZone());
    }

    Map<String, String> userMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        String mapping = options.getMapping();
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
        if (options.getSkipColumns() != null) {
            for (String c : options.getSkipColumns().split(",")) {
                if (!c.isBlank()) {
                    s.add(c.trim());
                }
            }
        }
        return s;
    }

    /** The destination table's columns and keys, read on {@code c}; TableNotFoundException when it is missing. */
    TableSchema readSchema(Connection c) throws SQLException {
        return TableSchemaReader.read(c, database(), tableName());
    }

    /** The link's mapping onto the table's columns; IllegalArgumentException naming a column the table lacks. */
    FieldMapping fieldMapping(TableSchema schema) {
        return FieldMapping.of(schema.columns(), userMapping(), skipColumnSet());
    }

    /** The destination reachable, the account taken, the table there, its columns mapped ({@link AdbPrecheck}). */
    @Override
    public List<PrecheckItem> precheck() {
        return new AdbPrecheck(this).run();
    }

    @Override
    public DataSourceRef sinkDataSource() {
        return new DataSourceRef("jdbc", options.getDataSource());
    }

    DataSource lookupDataSource() {
        return component().dataSources().get(options.getDataSource());
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

    /**
     * Replays through the running link's writer, or through one made for the replay when the link is not running
     * (closed afterwards; a link started meanwhile writes through its own writer, still one write at a time).
     */
    @Override
    public Replay replayDirty(String linkId) {
        if (!replaying.tryLock()) {
            throw new NotReplayable("a replay of the dirty records of link '" + linkId + "' is already running: wait "
                    + "for its answer, then replay again if records remain");
        }
        try {
            AdbWriter w;
            boolean own;
            synchronized (this) {
                own = writer == null;
                w = own ? new AdbWriter(this) : writer;
            }
            try {
                return w.replay(linkId);
            } finally {
                if (own) {
                    w.close();
                }
            }
        } finally {
            replaying.unlock();
        }
    }

    ReentrantLock writeLock() {
        return writes;
    }

    public String getTable() {
        return table;
    }

    public AdbOptions getOptions() {
        return options;
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
}
