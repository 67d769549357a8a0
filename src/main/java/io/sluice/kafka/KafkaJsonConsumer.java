package io.sluice.kafka;

import io.sluice.base.BatchRetry.Outcome;
import io.sluice.base.ServerProbe;
import io.sluice.base.SourceRecord;
import io.sluice.source.BatchSourceConsumer;
import org.apache.camel.Processor;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One poll loop per link: poll a batch, hand it to the route as one exchange, and commit the batch's offsets only
 * when the exchange succeeded. A failed batch is re-read from its first offsets after a growing pause; a
 * {@link io.sluice.base.LinkHaltException} stops the link with its position uncommitted (see
 * {@link BatchSourceConsumer}).
 *
 * <p>The start offset is kept in the commit metadata, so a changed startTime is recognised as an explicit reset.
 */
class KafkaJsonConsumer extends BatchSourceConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaJsonConsumer.class);
    private static final String START_MARK = "sluice.startTime=";

    private final KafkaJsonEndpoint endpoint;
    private final KafkaJsonOptions options;
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    /** Offsets after batches the database has committed, not yet confirmed committed to Kafka (poll thread only). */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    /** Whether the cluster answers while no records arrive (a consumer whose brokers are down polls empty batches). */
    private ServerProbe reachability;

    KafkaJsonConsumer(KafkaJsonEndpoint endpoint, Processor processor) {
        super(endpoint, processor, endpoint.component().stats(), endpoint.getOptions());
        this.endpoint = endpoint;
        this.options = endpoint.getOptions();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String link = getRouteId();
        String group = options.getGroupId() != null ? options.getGroupId() : "sluice-" + link;
        kafka = new KafkaConsumer<>(endpoint.consumerProperties(group), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reachability = new ServerProbe(link, this::stats, PROBE_MS, false, sourceToo -> clusterUnreachable(),
                "the Kafka cluster " + endpoint.bootstrapServers() + " answers again", this::isRunning);
        startPolling("sluice-kafka-json-" + link);
    }

    @Override
    protected long stopGraceMs() {
        return options.getPollTimeoutMs() + 30_000;
    }

    @Override
    protected void interruptPoll() {
        KafkaConsumer<byte[], byte[]> k = kafka;
        if (k != null) {
            k.wakeup();
        }
    }

    @Override
    protected String sourceName() {
        return "the Kafka";
    }

    @Override
    protected void pollLoop() {
        try (KafkaConsumer<byte[], byte[]> k = kafka) {
            k.subscribe(List.of(endpoint.getTopic()), new StartOffsets(k));
            while (isRunning()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = k.poll(Duration.ofMillis(options.getPollTimeoutMs()));
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    reachability.check(true);
                    if (!reachability.down()) {
                        stats().lag(0);
                    }
                    continue;
                }
                reachability.answered();
                List<SourceRecord> batch = new ArrayList<>(records.count());
                long newest = 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    batch.add(toSourceRecord(r));
                    newest = Math.max(newest, r.timestamp());
                }
                Outcome outcome = deliver(batch, newest);
                if (outcome == Outcome.DONE) {
                    commit(k, records);
                } else if (outcome == Outcome.HALTED) {
                    commitWritten(k, null); // the batches before the halting one are in the database
                    return;
                } else {
                    // retryable: read the same batch again, nothing is skipped
                    rewind(k, records);
                }
            }
            commitWritten(k, null); // stopping or pausing: the position kept is everything written
        } catch (WakeupException e) {
            // stopping
        }
    }

    /**
     * Marks the batch's offsets as written and commits them asynchronously, so the next batch need not wait for the
     * round trip; Kafka applies one consumer's commits in order. Every committed offset is already in the database.
     * A commit that is lost (crash, rebalance) only makes the next owner re-read batches an upsert makes harmless;
     * on revocation and on stop the written offsets are committed synchronously.
     */
    private void commit(KafkaConsumer<byte[], byte[]> k, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = offsetsAfter(records);
        written.putAll(offsets);
        k.commitAsync(offsets, (done, e) -> {
            if (e != null) {
                LOG.debugf("link %s: an asynchronous offset commit failed (%s); the next one covers it", link(),
                        e.getMessage());
            }
        });
    }

    /** Commits the written offsets of {@code partitions} (all when null) and waits; a refusal only means a re-read. */
    private void commitWritten(KafkaConsumer<byte[], byte[]> k, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(written);
        if (partitions != null) {
            offsets.keySet().retainAll(partitions);
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            k.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            stats().runLog().add("rebalance", "partitions moved to another instance before the commit of a written "
                    + "batch: its new owner re-reads it from the previous commit (" + e.getClass().getSimpleName() + ")");
        }
        offsets.keySet().forEach(written::remove);
    }

    /**
     * Why the Kafka cluster does not answer, or null when it does: asked for its topics (one request), since its
     * consumer only logs warnings while its brokers are down.
     */
    private String clusterUnreachable() {
        try {
            kafka.listTopics(Duration.ofMillis(PROBE_TIMEOUT_MS));
            return null;
        } catch (org.apache.kafka.common.errors.InterruptException | WakeupException e) {
            throw e;
        } catch (org.apache.kafka.common.KafkaException e) {
            return "the Kafka cluster " + endpoint.bootstrapServers() + " does not answer (" + e.getMessage()
                    + "): check that its brokers run and that this host may reach them; the link keeps trying and "
                    + "reads on from its committed offsets";
        }
    }

    /** How long a link polls no records before it asks whether the cluster answers, and how often it asks then. */
    private static final long PROBE_MS = 10_000;
    private static final long PROBE_TIMEOUT_MS = 5_000;

    static SourceRecord toSourceRecord(ConsumerRecord<byte[], byte[]> r) {
        return new SourceRecord(r.value(), "partition " + r.partition() + ", offset " + r.offset(), r.timestamp());
    }

    private Map<TopicPartition, OffsetAndMetadata> offsetsAfter(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        String mark = startMark();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1, mark));
        }
        return offsets;
    }

    private static void rewind(KafkaConsumer<byte[], byte[]> k, ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            k.seek(tp, records.records(tp).get(0).offset());
        }
    }

    private String startMark() {
        Long start = options.startTimeMillis();
        return START_MARK + (start == null ? "" : start);
    }

    /**
     * On assignment, a partition with a committed position made under the same startTime continues from it;
     * otherwise it starts at its first record at or after startTime (at its end when there is none), or, with no
     * startTime, at its beginning.
     */
    private final class StartOffsets implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> k;

        StartOffsets(KafkaConsumer<byte[], byte[]> k) {
            this.k = k;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = k.committed(Set.copyOf(partitions));
            Long start = options.startTimeMillis();
            String mark = startMark();
            Map<TopicPartition, Long> byTime = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                boolean sameStart = c != null && mark.equals(c.metadata());
                if (sameStart) {
                    continue; // the consumer continues from the committed offset
                }
                if (start != null) {
                    byTime.put(tp, start);
                } else if (c == null) {
                    k.seekToBeginning(List.of(tp));
                }
            }
            if (!byTime.isEmpty()) {
                Map<TopicPartition, OffsetAndTimestamp> found = k.offsetsForTimes(byTime);
                for (TopicPartition tp : byTime.keySet()) {
                    OffsetAndTimestamp o = found.get(tp);
                    if (o != null) {
                        k.seek(tp, o.offset());
                    } else {
                        k.seekToEnd(List.of(tp));
                    }
                }
                stats().runLog().add("start-offset", "partitions " + byTime.keySet() + " start at " + options.getStartTime());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // batches are processed inside the poll loop, so none is in flight here; make their commits final
            commitWritten(k, partitions);
        }
    }
}
