package io.sluice.kafka;

import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.base.LinkStats;
import io.sluice.base.PrecheckItem;
import io.sluice.change.ChangeEncoder;
import io.sluice.change.ChangeEvent;
import io.sluice.change.PartitionPolicy;
import io.sluice.change.SourcePosition;
import io.sluice.change.SourceTimeZone;
import io.sluice.change.TableMemo;
import io.sluice.deadletter.DeadLetter;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Sends the change events of one exchange and completes it (asynchronously) only when Kafka acknowledged every one of
 * them, so the source marks a binlog position processed only when everything before it is in Kafka. Each record
 * carries the headers {@code sluice.binlog} ({@code file:position:event:row[,row...]}: the transaction's start, the
 * rows event within it and the rows within that event that the message carries, one per change; {@code snapshot} for
 * full-load rows) and {@code sluice.gtid}, so a replayed change is recognisable whatever the format.
 */
class ChangeKafkaProducer extends DefaultAsyncProducer {

    static final String POSITION_HEADER = "sluice.binlog";
    static final String GTID_HEADER = "sluice.gtid";

    private final ChangeKafkaEndpoint endpoint;
    /** The encoder for the source zone of the current batch ({@link #encoderFor}). */
    private ChangeEncoder encoder;
    /** The source time zone {@link #encoder} was made for. */
    private ZoneId encoderSourceZone;
    private final PartitionPolicy policy;
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private DeadLetterTopic deadLetters;
    private boolean checked;
    /** A batch failed: the next one gets a new producer (see {@link #renewProducer()}). */
    private volatile boolean renew;
    /** Canal's batch id and DTS's record id: rising across batches and (by starting at the clock) across restarts. */
    private long sequence = System.currentTimeMillis() * 1000;

    ChangeKafkaProducer(ChangeKafkaEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.encoder = endpoint.encoder(null);
        this.policy = endpoint.policy();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        checked = false;
        renew = false;
        producer = newProducer();
        if ("dead-letter".equals(endpoint.getOversizedRecordMode())) {
            deadLetters = new DeadLetterTopic(endpoint.clientProperties(), endpoint.deadLetterTopicName());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5)); // the source marks only batches whose exchange completed
            producer = null;
        }
        if (deadLetters != null) {
            deadLetters.close();
            deadLetters = null;
        }
        forgetRoutes();
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
            throw PrecheckItem.onlyUnreachable(items) ? new IllegalStateException(failures) : new LinkHaltException(failures);
        }
        checked = true;
    }

    /**
     * Encodes and sends the batch, and completes the exchange when Kafka has acknowledged all of it (or a record failed),
     * without waiting: the source sends the next batches meanwhile and marks positions only as exchanges complete, in
     * order. After a failure the source sends the failed batch again and then every batch sent after it, so whatever
     * those had written already is written again after it (duplicates, recognisable by their position header); the
     * next batch after a failure gets a new producer ({@link #renewProducer()}).
     */
    @Override
    public synchronized boolean process(Exchange exchange, AsyncCallback callback) {
        List<?> body = exchange.getMessage().getBody(List.class);
        String link = exchange.getFromRouteId();
        Acks acks = new Acks(exchange, callback, link);
        try {
            if (body == null) {
                throw new IllegalArgumentException("kafka-change expects a list of change events (from mysql-binlog)");
            }
            if (renew) {
                renewProducer();
            }
            if (!checked) {
                precheck(link);
            }
            encoderFor(exchange.getProperty(SourceTimeZone.PROPERTY, ZoneId.class));
            send(body, link, acks);
        } catch (Exception e) {
            acks.failed(e);
        }
        return acks.sent();
    }

    /**
     * The source's batches carry its server's time zone (read when the link starts): Canal JSON writes TIMESTAMP values
     * in it unless the {@code timeZone} option says otherwise. A new encoder only when the zone changes (a restart of
     * the source after the server's time_zone changed), not per batch.
     */
    private void encoderFor(ZoneId sourceZone) {
        if (!Objects.equals(sourceZone, encoderSourceZone)) {
            encoder = endpoint.encoder(sourceZone);
            encoderSourceZone = sourceZone;
        }
    }

    /**
     * Sends the batch's changes in order. With Canal JSON the row changes of one binlog rows event (same table and
     * operation, at most about 8 KB of row images in MySQL and MariaDB) go out as one message per destination
     * partition, as canal writes them ({@code data} lists the rows): a Kafka record per row cost the link most of its
     * time per change (BENCHMARKS.md). Full-load rows and DDL are one message each.
     */
    private void send(List<?> body, String link, Acks acks) throws Exception {
        Message message = new Message(sequence, "canal-json".equals(endpoint.getFormat()), link, acks);
        Map<Destination, List<ChangeEvent>> rowsEvent = new LinkedHashMap<>(); // the current rows event, per partition
        ChangeEvent eventStart = null;
        for (Object o : body) {
            ChangeEvent event = (ChangeEvent) o;
            TableRoute route = route(event);
            Destination to = new Destination(route.topic(), policy.partition(event, route.partitions(),
                    route.keyColumns() != null ? route.keyColumns() : event.keyNames()));
            boolean grouped = encoder.groupsRows() && !event.isDdl() && !event.position().snapshot();
            if (!grouped || eventStart == null || !sameRowsEvent(eventStart, event)) {
                message.sendAll(rowsEvent);
                eventStart = grouped ? event : null;
            }
            if (grouped) {
                rowsEvent.computeIfAbsent(to, d -> new ArrayList<>()).add(event);
            } else {
                message.send(List.of(event), to);
            }
        }
        message.sendAll(rowsEvent);
        if (!message.oversized.isEmpty()) {
            deadLetters.write(message.oversized);
            endpoint.component().stats().of(link).recordsDirty(message.oversized.size());
        }
    }

    /** A topic partition. */
    private record Destination(String topic, int partition) {
    }

    /** Two changes from the same binlog rows event: same transaction, event, table (shape) and operation. */
    private static boolean sameRowsEvent(ChangeEvent a, ChangeEvent b) {
        SourcePosition p = a.position();
        SourcePosition q = b.position();
        return p.position() == q.position() && p.eventInGroup() == q.eventInGroup() && a.operation() == b.operation()
                && a.columns() == b.columns() && Objects.equals(p.binlogFile(), q.binlogFile())
                && a.table().equals(b.table()) && a.database().equals(b.database());
    }

    /** Writes the messages of one batch: canal's batch id, the oversized changes put aside. */
    private final class Message {
        private final long batchId;
        private final boolean canal;
        private final String link;
        private final Acks acks;
        final List<DeadLetter> oversized = new ArrayList<>();

        Message(long batchId, boolean canal, String link, Acks acks) {
            this.batchId = batchId;
            this.canal = canal;
            this.link = link;
            this.acks = acks;
        }

        /** One message per destination for the rows gathered for it, which are then forgotten. */
        void sendAll(Map<Destination, List<ChangeEvent>> rowsByDestination) {
            rowsByDestination.forEach((to, rows) -> send(rows, to));
            rowsByDestination.clear();
        }

        /** One message for {@code rows}; split in halves while it is over maxRecordBytes, down to single changes. */
        void send(List<ChangeEvent> rows, Destination to) {
            byte[] value = encoder.encodeRows(rows, canal ? batchId : sequence);
            if (value.length > endpoint.getMaxRecordBytes() && rows.size() > 1) {
                int half = rows.size() / 2;
                send(rows.subList(0, half), to);
                send(rows.subList(half, rows.size()), to);
                return;
            }
            sequence += rows.size();
            ChangeEvent event = rows.get(0);
            if (value.length > endpoint.getMaxRecordBytes()) {
                String reason = "the change of " + table(event) + " with key " + key(event) + " at " + position(event)
                        + " is " + value.length + " bytes encoded, over maxRecordBytes " + endpoint.getMaxRecordBytes();
                if ("stop".equals(endpoint.getOversizedRecordMode())) {
                    throw new LinkHaltException(reason + ": leave its large columns out of the link (the source's excludeColumns), raise maxRecordBytes "
                            + "(and the topic's max.message.bytes), or set oversizedRecordMode=dead-letter");
                }
                oversized.add(new DeadLetter(link, position(event), null, reason, null));
                return;
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(POSITION_HEADER, position(rows).getBytes(StandardCharsets.UTF_8));
            if (event.position().gtid() != null) {
                headers.add(GTID_HEADER, event.position().gtid().getBytes(StandardCharsets.UTF_8));
            }
            producer.send(new ProducerRecord<>(to.topic(), to.partition(), null, null, value, headers), acks.expect(rows));
        }
    }

    /**
     * One batch's acknowledgements: counts the records Kafka has yet to acknowledge (plus one while the batch is being
     * sent), keeps the first failure, and completes the exchange when the count reaches zero; the last
     * acknowledgement comes on the Kafka client's own thread.
     */
    private final class Acks {
        private final Exchange exchange;
        private final AsyncCallback callback;
        private final String link;
        private final AtomicInteger outstanding = new AtomicInteger(1);
        private final List<ChangeEvent> events = new ArrayList<>();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Acks(Exchange exchange, AsyncCallback callback, String link) {
            this.exchange = exchange;
            this.callback = callback;
            this.link = link;
        }

        /** The callback of one sent record, carrying {@code rows}. */
        Callback expect(List<ChangeEvent> rows) {
            outstanding.incrementAndGet();
            events.addAll(rows);
            return (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, describe(rows.get(0), error, cluster()));
                }
                arrived(false);
            };
        }

        void failed(Exception e) {
            failure.compareAndSet(null, e);
        }

        /** Sending is over: true when every record was acknowledged already, and the exchange completed here. */
        boolean sent() {
            return arrived(true);
        }

        private boolean arrived(boolean onSendingThread) {
            if (outstanding.decrementAndGet() != 0) {
                return false;
            }
            complete(onSendingThread);
            return true;
        }

        private void complete(boolean onSendingThread) {
            Exception e = failure.get();
            if (e != null) {
                renew = true;
                exchange.setException(e);
            } else {
                long acked = System.currentTimeMillis();
                LinkStats stats = endpoint.component().stats().of(link);
                for (ChangeEvent ev : events) {
                    if (!ev.position().snapshot() && ev.position().eventTimeMs() > 0) {
                        stats.latency(acked - ev.position().eventTimeMs()); // full-load rows have no commit time of their own
                    }
                }
            }
            callback.done(onSendingThread);
        }
    }

    /** The cluster's bootstrap servers, to name it in an error. */
    private String cluster() {
        return String.valueOf(endpoint.clientProperties().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** What a failed send means for the link: a too-large record stops it with the fix, others are retried. */
    private static Exception describe(ChangeEvent event, Exception error, String cluster) {
        if (error instanceof RecordTooLargeException) {
            return new LinkHaltException("Kafka refused the change of " + table(event) + " with key " + key(event)
                    + " at " + position(event) + " as too large: raise the topic's max.message.bytes (and the "
                    + "broker's message.max.bytes) or lower maxRecordBytes", error);
        }
        return new IllegalStateException("Kafka (" + cluster + ") did not acknowledge the change of " + table(event)
                + " at " + position(event) + ": " + Errors.describe(error), error);
    }

    /**
     * After a failed send the batch is sent again, by a new producer: an idempotent producer whose batch expired or
     * was refused can be left with sequence numbers the broker no longer accepts for a partition
     * (OutOfOrderSequenceException on every later send there), so retrying with it would never succeed. The new one
     * has a new producer id; the re-sent changes are duplicates recognisable by their sluice.binlog header.
     */
    private void renewProducer() {
        renew = false;
        KafkaProducer<byte[], byte[]> old = producer;
        producer = newProducer();
        forgetRoutes();
        try {
            old.close(Duration.ZERO);
        } catch (RuntimeException ignored) {
            // it failed already; its unsent records belong to the batch that is sent again
        }
    }

    private void forgetRoutes() {
        partitionCounts.clear();
        routes.clear();
        lastRoute = null;
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(endpoint.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private int partitions(String topic) {
        return partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
    }

    /** Where a table's changes go: its topic, that topic's partition count and the link's partition-key columns. */
    private record TableRoute(String topic, int partitions, List<String> keyColumns) {
    }

    /** Per database and table, built once per producer (a renewed producer reads the partition counts again). */
    private final Map<String, Map<String, TableRoute>> routes = new HashMap<>();
    /** The route of the table of the change before. */
    private TableMemo<TableRoute> lastRoute;

    private TableRoute route(ChangeEvent event) {
        if (event.isDdl()) { // DDL may have a topic of its own, and names no single table
            String topic = endpoint.mapping().topicFor(event);
            return new TableRoute(topic, partitions(topic), null);
        }
        if (lastRoute != null && lastRoute.isFor(event.database(), event.table())) {
            return lastRoute.value();
        }
        TableRoute route = routes.computeIfAbsent(event.database(), d -> new HashMap<>()).computeIfAbsent(event.table(), t -> {
            String topic = endpoint.mapping().topicFor(event);
            return new TableRoute(topic, partitions(topic), endpoint.keyColumns(table(event)));
        });
        lastRoute = new TableMemo<>(event.database(), event.table(), route);
        return route;
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

    /** The position header of a message: {@code file:pos:event:row[,row...]}, the rows of one rows event it carries. */
    static String position(List<ChangeEvent> rows) {
        String first = position(rows.get(0));
        if (rows.size() == 1) {
            return first;
        }
        StringBuilder sb = new StringBuilder(first);
        for (int i = 1; i < rows.size(); i++) {
            sb.append(',').append(rows.get(i).position().rowInEvent());
        }
        return sb.toString();
    }

    static String position(ChangeEvent e) {
        SourcePosition p = e.position();
        return p.snapshot() ? "snapshot"
                : p.binlogFile() + ":" + p.position() + ":" + p.eventInGroup() + ":" + p.rowInEvent();
    }
}
