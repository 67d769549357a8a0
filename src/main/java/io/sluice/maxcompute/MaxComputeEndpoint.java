package io.sluice.maxcompute;

import io.sluice.base.MergeSqlSource;
import io.sluice.change.DestinationNameCase;
import io.sluice.change.ObjectNameCase;
import io.sluice.change.TablesWithoutKey;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The MaxCompute sink (seeds 002/003); its options are {@link MaxComputeOptions}. Object names arrive as the source's
 * renames and capitalization made them; DTS's default policy for MaxCompute is lowercase.
 */
@UriEndpoint(scheme = "maxcompute", title = "MaxCompute sink", syntax = "maxcompute:name", producerOnly = true,
        category = {Category.BIGDATA})
public class MaxComputeEndpoint extends DefaultEndpoint implements MergeSqlSource, DestinationNameCase, TablesWithoutKey,
        io.sluice.base.DataSourceSink {

    @UriPath(description = "A name for this sink (free text, shown in messages)") @Metadata(required = true)
    private final String name;
    @UriParam
    private final MaxComputeOptions options;

    /** The sink of each link writing through this endpoint (links with the same URI share the endpoint). */
    private final Map<String, MaxComputeChangeSink> sinks = new ConcurrentHashMap<>();
    /** The thread that writes the batches of this endpoint's links, in the order they come ({@link #writes()}). */
    private ExecutorService writes;
    private final Object writesLock = new Object();

    MaxComputeEndpoint(String uri, MaxComputeComponent component, String name, MaxComputeOptions options) {
        super(uri, component);
        this.name = name;
        this.options = options;
    }

    void validate() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("maxcompute needs a name, e.g. maxcompute:orders?dataSource=warehouse");
        }
        component().requireDeclared(options.getDataSource());
        namingRuleValue();
        levels();
        String objectNameCase = options.getObjectNameCase();
        if (objectNameCase != null) {
            throw new IllegalArgumentException("objectNameCase is an option of the mysql-binlog source (it applies the "
                    + "capitalization, with the renames, for every sink; its dts-default is lowercase for MaxCompute): "
                    + "move objectNameCase=" + objectNameCase + " from the maxcompute sink to the source");
        }
        ConflictingTables.parse(options.getConflictingTables());
        writerOptions();
    }

    NamingRule namingRuleValue() {
        String namingRule = options.getNamingRule();
        try {
            return NamingRule.valueOf(namingRule.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("namingRule must be new or previous, not '" + namingRule + "'");
        }
    }

    List<PartitionLevel> levels() {
        List<PartitionLevel> levels = new ArrayList<>();
        String partitionLevels = options.getPartitionLevels();
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
        String datetimeZone = options.getDatetimeZone();
        ZoneId zone;
        try {
            zone = ZoneId.of(datetimeZone).normalized();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("datetimeZone is not a time zone: '" + datetimeZone + "'");
        }
        try {
            return new WriterOptions(options.getMaxBufferedRows(), WriterOptions.defaults().maxBufferMillis(),
                    options.getBlockRows(), options.isCompress(), options.getMaxAttempts(), options.getRetryBackoffMs(), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("maxBufferedRows, blockRows and maxAttempts must be at least 1 and "
                    + "retryBackoffMs at least 0");
        }
    }

    @Override
    public DataSourceRef sinkDataSource() {
        return new DataSourceRef("maxcompute", options.getDataSource());
    }

    /**
     * The sink of link {@code link}, created on first use (the options are set after construction) and dropped when
     * the route stops. One per link: its tables, full loads and record_id marks are the link's own.
     */
    synchronized MaxComputeChangeSink sink(String link) {
        return sinks.computeIfAbsent(link, l -> {
            String dataSource = options.getDataSource();
            MaxComputeTarget target;
            try {
                target = component().dataSource(dataSource);
            } catch (IllegalArgumentException e) {
                throw new io.sluice.base.LinkHaltException(e.getMessage());
            }
            return new MaxComputeChangeSink(l, new SinkSettings(dataSource, target, namingRuleValue(),
                    levels(), writerOptions(), ConflictingTables.parse(options.getConflictingTables())),
                    (event, message) -> component().runLog(l, event, message), component().stateDocument(l),
                    component().stateDir(l));
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

    @Override
    public String withoutKey() {
        return "MaxCompute: such a table's full load goes to its _base table and its changes to its _log table as any "
                + "table's, but " + MaxComputeChangeSink.NO_MERGE_WITHOUT_KEY + ", so its merge SQL is refused";
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

    /**
     * Where {@link MaxComputeProducer} writes batches: one thread, so a link's batches are written in order (and links
     * sharing this endpoint take turns, as they did on the endpoint's lock), off the source's thread. Daemon: a write
     * abandoned by a stop (a server that does not answer) must not keep the JVM alive.
     */
    ExecutorService writes() {
        synchronized (writesLock) { // not the endpoint's lock, which a running write holds
            if (writes == null || writes.isShutdown()) {
                writes = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "sluice-maxcompute-" + name);
                    t.setDaemon(true);
                    return t;
                });
            }
            return writes;
        }
    }

    @Override
    protected void doShutdown() throws Exception {
        synchronized (writesLock) {
            if (writes != null) {
                writes.shutdown(); // what is queued still runs: each completes its exchange
            }
        }
        super.doShutdown();
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

    public MaxComputeOptions getOptions() {
        return options;
    }

    /** DTS's default policy for MaxCompute: lowercase (MaxCompute names are case-insensitive and stored lowercase). */
    @Override
    public ObjectNameCase dtsDefaultNameCase() {
        return ObjectNameCase.LOWERCASE;
    }
}
