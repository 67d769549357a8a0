package io.sluice.maxcompute;

import io.sluice.base.MergeSqlSource;
import io.sluice.change.DestinationNameCase;
import io.sluice.change.ObjectNameCase;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Options of the MaxCompute sink (seeds 002/003: naming rule, log partitions; writer tuning). Object names arrive as
 * the source's renames and capitalization made them; DTS's default policy for MaxCompute is lowercase.
 */
@UriEndpoint(scheme = "maxcompute", title = "MaxCompute sink", syntax = "maxcompute:name", producerOnly = true,
        category = {Category.BIGDATA})
public class MaxComputeEndpoint extends DefaultEndpoint implements MergeSqlSource, DestinationNameCase {

    @UriPath(description = "A name for this sink (free text, shown in messages)") @Metadata(required = true)
    private final String name;
    @UriParam(description = "MaxCompute data source: a name declared as sluice.maxcompute.<name>.* in "
            + "application.properties") @Metadata(required = true)
    private String dataSource;
    @UriParam(description = "Naming rule of the additional columns: new (new_dts_sync_record_id ...) or previous "
            + "(record_id ...)", defaultValue = "new")
    private String namingRule = "new";
    @UriParam(description = "Partition definition of the _log tables: levels of the change time (UTC) among year, "
            + "month, day, hour, minute, separated by commas; none for an unpartitioned _log",
            defaultValue = "year,month,day,hour")
    private String partitionLevels = "year,month,day,hour";
    /** Moved to the source (objectNameCase of mysql-binlog): refused here with that fix. */
    private String objectNameCase;
    @UriParam(description = "Buffered rows of one table that trigger a flush inside a batch (every batch is flushed "
            + "at its end anyway)", defaultValue = "20000")
    private int maxBufferedRows = 20_000;
    @UriParam(description = "Rows per tunnel block", defaultValue = "10000")
    private int blockRows = 10_000;
    @UriParam(description = "Deflate tunnel blocks", defaultValue = "true")
    private boolean compress = true;
    @UriParam(description = "Attempts of one upload before the batch fails (and is retried by the source)",
            defaultValue = "6")
    private int maxAttempts = 6;
    @UriParam(description = "Pause between upload attempts, ms", defaultValue = "500")
    private long retryBackoffMs = 500;
    @UriParam(description = "Zone in which MySQL DATETIME values become MaxCompute DATETIME (the project's "
            + "odps.sql.timezone)", defaultValue = "UTC")
    private String datetimeZone = "UTC";
    @UriParam(description = "Processing mode of conflicting tables (a source table's _base or _log already in the "
            + "project, not created by this link): precheck (the link stops before writing the table, naming it and "
            + "the fix) or ignore (append to the existing tables)", defaultValue = "precheck")
    private String conflictingTables = "precheck";

    /** The sink of each link writing through this endpoint (links with the same URI share the endpoint). */
    private final Map<String, MaxComputeChangeSink> sinks = new ConcurrentHashMap<>();

    MaxComputeEndpoint(String uri, MaxComputeComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("maxcompute needs a name, e.g. maxcompute:orders?dataSource=warehouse");
        }
        component().requireDeclared(dataSource);
        namingRuleValue();
        levels();
        if (objectNameCase != null) {
            throw new IllegalArgumentException("objectNameCase is an option of the mysql-binlog source (it applies the "
                    + "capitalization, with the renames, for every sink; its dts-default is lowercase for MaxCompute): "
                    + "move objectNameCase=" + objectNameCase + " from the maxcompute sink to the source");
        }
        ConflictingTables.parse(conflictingTables);
        writerOptions();
    }

    NamingRule namingRuleValue() {
        try {
            return NamingRule.valueOf(namingRule.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("namingRule must be new or previous, not '" + namingRule + "'");
        }
    }

    List<PartitionLevel> levels() {
        List<PartitionLevel> levels = new ArrayList<>();
        if (partitionLevels == null || partitionLevels.isBlank() || partitionLevels.trim().equalsIgnoreCase("none")) {
            return levels;
        }
        for (String l : partitionLevels.split(",")) {
            String level = l.trim().toUpperCase(Locale.ROOT).replace("MODIFYTIME_", "");
            try {
                levels.add(PartitionLevel.valueOf(level));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("partitionLevels takes year, month, day, hour, minute separated by "
                        + "commas (or none), not '" + l.trim() + "'");
            }
        }
        return levels;
    }

    WriterOptions writerOptions() {
        ZoneId zone;
        try {
            zone = ZoneId.of(datetimeZone).normalized();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("datetimeZone is not a time zone: '" + datetimeZone + "'");
        }
        try {
            return new WriterOptions(maxBufferedRows, WriterOptions.defaults().maxBufferMillis(), blockRows, compress,
                    maxAttempts, retryBackoffMs, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("maxBufferedRows, blockRows and maxAttempts must be at least 1 and "
                    + "retryBackoffMs at least 0");
        }
    }

    /**
     * The sink of link {@code link}, created on first use (the options are set after construction) and dropped when
     * the route stops. One per link: its tables, full loads and record_id marks are the link's own.
     */
    synchronized MaxComputeChangeSink sink(String link) {
        return sinks.computeIfAbsent(link, l -> {
            MaxComputeTarget target;
            try {
                target = component().dataSource(dataSource);
            } catch (IllegalArgumentException e) {
                throw new io.sluice.base.LinkHaltException(e.getMessage());
            }
            return new MaxComputeChangeSink(l, new SinkSettings(dataSource, target, namingRuleValue(),
                    levels(), writerOptions(), ConflictingTables.parse(conflictingTables)),
                    (event, message) -> component().runLog(l, event, message), component().stateDir(l));
        });
    }

    /**
     * The merge SQL of seed 003 for {@code table} (source or MaxCompute name, written by link {@code link} since it
     * started): the script that fills {@code resultTable} with the table's full content at {@code time} (epoch seconds).
     */
    @Override
    public synchronized String mergeSql(String link, String table, String resultTable, long time) {
        return sink(link).mergeSql(table, resultTable, time);
    }

    MaxComputeComponent component() {
        return (MaxComputeComponent) getComponent();
    }

    @Override
    public Producer createProducer() {
        return new MaxComputeProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("maxcompute is a sink: use it in 'to'");
    }

    @Override
    protected void doStop() throws Exception {
        // not under the endpoint's lock: a write the link's stop abandoned (a server that does not answer) holds it, and
        // stopping must not wait for it; a later start's writes wait for that lock, so they never overlap the old one
        sinks.clear();
        super.doStop();
    }

    public String getName() {
        return name;
    }

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public String getNamingRule() {
        return namingRule;
    }

    public void setNamingRule(String namingRule) {
        this.namingRule = namingRule;
    }

    public String getPartitionLevels() {
        return partitionLevels;
    }

    public void setPartitionLevels(String partitionLevels) {
        this.partitionLevels = partitionLevels;
    }

    /** DTS's default policy for MaxCompute: lowercase (MaxCompute names are case-insensitive and stored lowercase). */
    @Override
    public ObjectNameCase dtsDefaultNameCase() {
        return ObjectNameCase.LOWERCASE;
    }

    public String getObjectNameCase() {
        return objectNameCase;
    }

    public void setObjectNameCase(String objectNameCase) {
        this.objectNameCase = objectNameCase;
    }

    public int getMaxBufferedRows() {
        return maxBufferedRows;
    }

    public void setMaxBufferedRows(int maxBufferedRows) {
        this.maxBufferedRows = maxBufferedRows;
    }

    public int getBlockRows() {
        return blockRows;
    }

    public void setBlockRows(int blockRows) {
        this.blockRows = blockRows;
    }

    public boolean isCompress() {
        return compress;
    }

    public void setCompress(boolean compress) {
        this.compress = compress;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public long getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(long retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public String getConflictingTables() {
        return conflictingTables;
    }

    public void setConflictingTables(String conflictingTables) {
        this.conflictingTables = conflictingTables;
    }

    public String getDatetimeZone() {
        return datetimeZone;
    }

    public void setDatetimeZone(String datetimeZone) {
        this.datetimeZone = datetimeZone;
    }
}
