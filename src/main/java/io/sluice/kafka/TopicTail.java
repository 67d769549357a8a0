package io.sluice.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Reads the newest records of a topic without a group and without committing: previews and dead-letter reads. */
final class TopicTail {

    private TopicTail() {
    }

    /**
     * The newest {@code perPartition} records of each partition, newest first (by record timestamp), read by the
     * given group-less consumer within 10 s.
     */
    static <K, V> List<ConsumerRecord<K, V>> newest(KafkaConsumer<K, V> c, String topic, int perPartition) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(10))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        c.assign(partitions);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions);
        Map<TopicPartition, Long> begins = c.beginningOffsets(partitions);
        long pending = 0;
        for (TopicPartition tp : partitions) {
            long from = Math.max(begins.get(tp), ends.get(tp) - perPartition);
            c.seek(tp, from);
            pending += ends.get(tp) - from;
        }
        List<ConsumerRecord<K, V>> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (all.size() < pending && System.currentTimeMillis() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(all::add);
        }
        all.sort(Comparator.comparingLong((ConsumerRecord<K, V> r) -> r.timestamp()).reversed());
        return all;
    }
}
