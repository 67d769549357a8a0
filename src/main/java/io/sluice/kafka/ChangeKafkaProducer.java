package io.sluice.kafka;

import io.sluice.change.ChangeEncoder;
import io.sluice.change.ChangeEvent;
import io.sluice.change.PartitionPolicy;
import io.sluice.change.SourcePosition;
import io.sluice.deadletter.DeadLetter;
import io.sluice.deadletter.DeadLetterTopic;
import io.sluice.link.Errors;
import io.sluice.link.LinkHaltException;
import io.sluice.link.LinkStats;
import io.sluice.link.PrecheckItem;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Sends the change events of one exchange and returns only after Kafka acknowledged every one of them, so the source
 * marks a binlog position processed only when everything before it is in Kafka. Each record carries the headers
 * {@code sluice.binlog} ({@code file:position:event:row}: the transaction's start, the rows event within it and the
 * row within that event, unique per change; {@code snapshot} for full-load rows) and {@code sluice.gtid}, so a
 * replayed change is recognisable whatever the format.
 */
class ChangeKafkaProducer extends DefaultProducer {

    static final String POSITION_HEADER = "sluice.binlog";
    static final String GTID_HEADER = "sluice.gtid";

    private final ChangeKafkaEndpoint endpoint;
    private final ChangeEncoder encoder;
    private final PartitionPolicy policy;
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private DeadLetterTopic deadLetters;
    private boolean checked;
    /** Canal's batch id and DTS's record id: rising across batches and (by starting at the clock) across restarts. */
    private long sequence = System.currentTimeMillis() * 1000;

    ChangeKafkaProducer(ChangeKafkaEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.encoder = endpoint.encoder();
        this.policy = endpoint.policy();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        checked = false;
        producer = newProducer();
        if ("dead-letter".equals(endpoint.getOversizedRecordMode())) {
            deadLetters = new DeadLetterTopic(endpoint.clientProperties(), endpoint.deadLetterTopicName());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5)); // every send was awaited: nothing the source marked is in flight
            producer = null;
        }
        if (deadLetters != null) {
            deadLetters.close();
            deadLetters = null;
        }
        partitionCounts.clear();
        routes.clear();
        super.doStop();
    }

    /**
     * The destination's precheck, before the first batch after a start (Camel starts producers of links that are
     * added stopped too, so a start-time check would refuse to add them): missing topics are created (createTopics)
     * or stop the link with the fix; an unreachable Kafka is retried like any failed batch.
     */
    private void precheck(String link) throws Exception {
        endpoint.createMissingTopics();
        List<PrecheckItem> items = endpoint.precheck();
        if (items.stream().anyMatch(PrecheckItem::failed)) {
            String failures = PrecheckItem.failures(link, items);
            boolean unreachable = items.stream().anyMatch(i -> i.failed() && i.item().equals("destination kafka"));
            throw unreachable ? new IllegalStateException(failures) : new LinkHaltException(failures);
        }
        checked = true;
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        List<?> body = exchange.getMessage().getBody(List.class);
        if (body == null) {
            throw new IllegalArgumentException("kafka-change expects a list of change events (from mysql-binlog)");
        }
        String link = exchange.getFromRouteId();
        if (!checked) {
            precheck(link);
        }
        long batchId = sequence;
        List<Future<RecordMetadata>> sent = new ArrayList<>(body.size());
        List<ChangeEvent> sentEvents = new ArrayList<>(body.size());
        List<DeadLetter> oversized = new ArrayList<>();
        for (Object o : body) {
            ChangeEvent event = (ChangeEvent) o;
            byte[] value = encoder.encode(event, "canal-json".equals(endpoint.getFormat()) ? batchId : sequence);
            sequence++;
            if (value.length > endpoint.getMaxRecordBytes()) {
                String reason = "the change of " + table(event) + " with key " + key(event) + " at " + position(event)
                        + " is " + value.length + " bytes encoded, over maxRecordBytes " + endpoint.getMaxRecordBytes();
                if ("stop".equals(endpoint.getOversizedRecordMode())) {
                    throw new LinkHaltException(reason + ": leave its large columns out of the link (the source's excludeColumns), raise maxRecordBytes "
                            + "(and the topic's max.message.bytes), or set oversizedRecordMode=dead-letter");
                }
                oversized.add(new DeadLetter(link, position(event), null, reason, null));
                continue;
            }
            TableRoute route = route(event);
            int partition = policy.partition(event, route.partitions(),
                    route.keyColumns() != null ? route.keyColumns() : event.keyNames());
            String topic = route.topic();
            RecordHeaders headers = new RecordHeaders();
            headers.add(POSITION_HEADER, position(event).getBytes(StandardCharsets.UTF_8));
            if (event.position().gtid() != null) {
                headers.add(GTID_HEADER, event.position().gtid().getBytes(StandardCharsets.UTF_8));
            }
            sent.add(producer.send(new ProducerRecord<>(topic, partition, null, null, value, headers)));
            sentEvents.add(event);
        }
        producer.flush();
        try {
            awaitAcks(sent, sentEvents);
        } catch (Exception e) {
            renewProducer();
            throw e;
        }
        long acked = System.currentTimeMillis();
        LinkStats stats = endpoint.component().stats().of(link);
        for (ChangeEvent e : sentEvents) {
            if (!e.position().snapshot() && e.position().eventTimeMs() > 0) {
                stats.latency(acked - e.position().eventTimeMs()); // full-load rows have no commit time of their own
            }
        }
        if (!oversized.isEmpty()) {
            deadLetters.write(oversized);
            endpoint.component().stats().of(link).recordsDirty(oversized.size());
        }
    }

    /**
     * After a failed send the batch is sent again, by a new producer: an idempotent producer whose batch expired or
     * was refused can be left with sequence numbers the broker no longer accepts for a partition
     * (OutOfOrderSequenceException on every later send there), so retrying with it would never succeed. The new one
     * has a new producer id; the re-sent changes are duplicates recognisable by their sluice.binlog header.
     */
    private void renewProducer() {
        KafkaProducer<byte[], byte[]> old = producer;
        producer = newProducer();
        partitionCounts.clear();
        routes.clear();
        try {
            old.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // it failed already; its unsent records belong to the batch that is sent again
        }
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(endpoint.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private void awaitAcks(List<Future<RecordMetadata>> sent, List<ChangeEvent> events) throws Exception {
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                ChangeEvent event = events.get(i);
                if (e.getCause() instanceof RecordTooLargeException) {
                    throw new LinkHaltException("Kafka refused the change of " + table(event) + " with key " + key(event)
                            + " at " + position(event) + " as too large: raise the topic's max.message.bytes (and the "
                            + "broker's message.max.bytes) or lower maxRecordBytes", e.getCause());
                }
                throw new IllegalStateException("Kafka did not acknowledge the change of " + table(event) + " at "
                        + position(event) + ": " + Errors.describe(e.getCause()), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge a sent change within 120 s", e);
            }
        }
    }

    private int partitions(String topic) {
        return partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
    }

    /** Where a table's changes go: its topic, that topic's partition count and the link's partition-key columns. */
    private record TableRoute(String topic, int partitions, List<String> keyColumns) {
    }

    /** Per database and table, built once per producer (a renewed producer reads the partition counts again). */
    private final Map<String, Map<String, TableRoute>> routes = new HashMap<>();

    private TableRoute route(ChangeEvent event) {
        if (event.isDdl()) { // DDL may have a topic of its own, and names no single table
            String topic = endpoint.mapping().topicFor(event);
            return new TableRoute(topic, partitions(topic), null);
        }
        return routes.computeIfAbsent(event.database(), d -> new HashMap<>()).computeIfAbsent(event.table(), t -> {
            String topic = endpoint.mapping().topicFor(event);
            return new TableRoute(topic, partitions(topic), endpoint.keyColumns(table(event)));
        });
    }

    private static String table(ChangeEvent e) {
        return e.database() + "." + e.table();
    }

    private static String key(ChangeEvent e) {
        Map<String, Object> row = e.row();
        if (row == null || e.keyNames().isEmpty()) {
            return "(none)";
        }
        return e.keyNames().stream().map(k -> k + "=" + row.get(k)).collect(Collectors.joining(",", "{", "}"));
    }

    static String position(ChangeEvent e) {
        SourcePosition p = e.position();
        return p.snapshot() ? "snapshot"
                : p.binlogFile() + ":" + p.position() + ":" + p.eventInGroup() + ":" + p.rowInEvent();
    }
}
