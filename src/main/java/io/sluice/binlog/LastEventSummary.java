package io.sluice.binlog;

import io.debezium.connector.common.BaseSourceTask;
import io.debezium.embedded.async.AsyncEmbeddedEngine;
import io.debezium.engine.DebeziumEngine;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.pipeline.meters.CommonEventMeter;
import io.debezium.pipeline.metrics.PipelineMetrics;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.spi.schema.DataCollectionId;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceTask;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Keeps Debezium from rendering every change's key into its metrics' {@code LastEvent} text. Debezium 3.4 renders it
 * with {@code SchemaUtil.asDetailedString}, which builds a new Jackson {@code ObjectMapper} for each change: in the
 * MySQL -> Kafka benchmark that was a third of the binlog reader thread's time and ~12 KB of garbage per change, on
 * the thread that bounds the link's speed (BENCHMARKS.md "Session 8"); and the binlog connectors' streaming metrics
 * do not even show it (their {@code LastEvent} is the last binlog event). Debezium fixed it upstream (dbz#2492,
 * debezium/debezium#7886, merged after 3.6.1.Final): every release up to 3.6.1 still builds the mapper per change, and
 * no later one is served whole by the registry (issue 20 item 3), so keep this until Debezium moves past 3.6.1.
 * Here the connector task's snapshot and streaming metrics get a metadata provider whose summary is the change's
 * source position only (binlog file, position, row), written as Debezium writes it up to the key; everything else is
 * Debezium's own.
 *
 * <p>Applied when Debezium reports the task started (the changes read before that, if any, are summarized Debezium's
 * way). The metrics are reached through Debezium's private fields, by name: if a Debezium version moves them,
 * {@link #apply} changes nothing (and logs why at debug level), and Debezium's own rendering stays;
 * {@code BinlogToKafkaTest} reads the snapshot metrics' {@code LastEvent} to notice. Public for the benchmark, whose
 * plain-engine reference can be given the same summary ({@code -Dbench.engine.lastEvent=position}).
 */
public final class LastEventSummary {

    private static final Logger LOG = Logger.getLogger(LastEventSummary.class);

    private LastEventSummary() {
    }

    /**
     * The engine callback that gives the engine's connector task, once started, the position-only summary;
     * {@code engine} supplies the engine it is registered with (built after the callback).
     */
    public static DebeziumEngine.ConnectorCallback onTaskStarted(String link, Supplier<DebeziumEngine<?>> engine) {
        return new DebeziumEngine.ConnectorCallback() {
            @Override
            public void taskStarted() {
                if (engine.get() instanceof AsyncEmbeddedEngine<?> async) {
                    async.runWithTask(task -> apply(link, task));
                }
            }
        };
    }

    /** Gives a started connector task's snapshot and streaming metrics the position-only summary. */
    private static void apply(String link, SourceTask task) {
        try {
            if (!(task instanceof BaseSourceTask<?, ?>)) {
                return;
            }
            Object coordinator = read(BaseSourceTask.class, "coordinator", task);
            for (String metrics : new String[] {"snapshotMetrics", "streamingMetrics"}) {
                if (coordinator != null && read(ChangeEventSourceCoordinator.class, metrics, coordinator) instanceof PipelineMetrics<?> m
                        && read(PipelineMetrics.class, "commonEventMeter", m) instanceof CommonEventMeter meter) {
                    Field provider = field(CommonEventMeter.class, "metadataProvider");
                    if (provider.get(meter) instanceof EventMetadataProvider p && !(p instanceof PositionOnly)) {
                        provider.set(meter, new PositionOnly(p));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf(e, "link %s: Debezium's metrics not found; its LastEvent metric renders each change's key", link);
        }
    }

    private static Object read(Class<?> owner, String name, Object target) throws ReflectiveOperationException {
        return field(owner, name).get(target);
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** Debezium's own metadata, with a summary of the change's source position only. */
    record PositionOnly(EventMetadataProvider delegate) implements EventMetadataProvider {

        @Override
        public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getEventTimestamp(source, offset, key, value);
        }

        @Override
        public Map<String, String> getEventSourcePosition(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getEventSourcePosition(source, offset, key, value);
        }

        @Override
        public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getTransactionId(source, offset, key, value);
        }

        @Override
        public String toSummaryString(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            // as Debezium writes it ("position: {file: mysql-bin.000003, pos: 1234, row: 0}, key: ..."), up to the key
            StringJoiner position = new StringJoiner(", ", "position: {", "}");
            getEventSourcePosition(source, offset, key, value).forEach((k, v) -> position.add(k + ": " + v));
            return position.toString();
        }
    }
}
