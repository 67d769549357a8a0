package io.sluice.kafka;

import io.sluice.link.BatchExchanges;
import io.sluice.link.Errors;
import io.sluice.link.LinkHaltException;
import io.sluice.link.LinkStats;
import io.sluice.link.SourceRecord;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
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
 * {@link LinkHaltException} stops the link with its position uncommitted.
 *
 * <p>The start offset is kept in the commit metadata, so a changed startTime is recognised as an explicit reset.
 */
class KafkaJsonConsumer extends DefaultConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaJsonConsumer.class);
    private static final String START_MARK = "sluice.startTime=";

    private final KafkaJsonEndpoint endpoint;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    /** Offsets after batches the database has committed, not yet confirmed committed to Kafka (poll thread only). */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    private Thread thread;

    KafkaJsonConsumer(KafkaJsonEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String link = getRouteId();
        String group = endpoint.getGroupId() != null ? endpoint.getGroupId() : "sluice-" + link;
        kafka = new KafkaConsumer<>(endpoint.consumerProperties(group), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::pollLoop, "sluice-kafka-json-" + link);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        // let the loop finish its batch and commit; interrupt a poll only if it does not end in time
        running = false;
        if (thread != null && thread != Thread.currentThread()) {
            thread.join(endpoint.getPollTimeoutMs() + 30_000);
            KafkaConsumer<byte[], byte[]> k = kafka;
            if (thread.isAlive() && k != null) {
                k.wakeup();
                thread.join(30_000);
            }
        }
        super.doStop();
    }

    private LinkStats stats() {
        return endpoint.component().stats().of(getRouteId());
    }

    private void pollLoop() {
        String link = getRouteId();
        long backoff = endpoint.getRetryBackoffMs();
        try (KafkaConsumer<byte[], byte[]> k = kafka) {
            k.subscribe(List.of(endpoint.getTopic()), new StartOffsets(k));
            while (running) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = k.poll(Duration.ofMillis(endpoint.getPollTimeoutMs()));
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    stats().lag(0);
                    continue;
                }
                List<SourceRecord> batch = new ArrayList<>(records.count());
                long newest = 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    batch.add(toSourceRecord(r));
                    newest = Math.max(newest, r.timestamp());
                }
                Exception failure = BatchExchanges.process(this, batch, batch.size(), newest);
                if (failure == null) {
                    commit(k, records);
                    backoff = endpoint.getRetryBackoffMs();
                    continue;
                }
                LinkHaltException halt = Errors.find(failure, LinkHaltException.class);
                if (halt != null) {
                    commitWritten(k, null); // the batches before the halting one are in the database
                    stats().halted(halt.getMessage());
                    LOG.errorf("link %s stopped: %s", link, halt.getMessage());
                    stopLinkAsync(link);
                    return;
                }
                // retryable: read the same batch again after a pause, nothing is skipped
                rewind(k, records);
                LOG.warnf("link %s: batch of %d failed, retrying in %d ms: %s", link, batch.size(), backoff,
                        Errors.describe(failure));
                sleep(backoff);
                backoff = Math.min(backoff * 2, endpoint.getMaxRetryBackoffMs());
            }
            commitWritten(k, null); // stopping or pausing: the position kept is everything written
        } catch (WakeupException e) {
            // stopping
        } catch (Exception e) {
            if (!running) {
                return;
            }
            stats().halted("the Kafka source failed: " + Errors.describe(e));
            LOG.errorf(e, "link %s: Kafka source failed", link);
            stopLinkAsync(link);
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
                LOG.debugf("link %s: an asynchronous offset commit failed (%s); the next one covers it", getRouteId(),
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
        Long start = endpoint.startTimeMillis();
        return START_MARK + (start == null ? "" : start);
    }

    /** The link stops itself from another thread: stopping waits for this poll loop to end. */
    private void stopLinkAsync(String link) {
        running = false;
        BatchExchanges.stopLinkAsync(this);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            Long start = endpoint.startTimeMillis();
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
                stats().runLog().add("start-offset", "partitions " + byTime.keySet() + " start at " + endpoint.getStartTime());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // batches are processed inside the poll loop, so none is in flight here; make their commits final
            commitWritten(k, partitions);
        }
    }
}
