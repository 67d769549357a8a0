package io.sluice.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.base.Errors;
import io.sluice.deadletter.DeadLetter;
import io.sluice.deadletter.DeadLetterChannel;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A dead-letter channel on a Kafka topic: one JSON message per dirty record, keyed by the link id, with the fields
 * of {@link DeadLetter} and the time. Written with acks=all and awaited, so an entry is durable before the link
 * commits its position.
 */
public final class DeadLetterTopic implements DeadLetterChannel {

    /** How many of the newest messages per partition {@link #read} looks through for a link's entries. */
    static final int READ_WINDOW = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Properties client;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    /** {@code client}: bootstrap.servers and any security settings, shared by the producer and the reader. */
    public DeadLetterTopic(Properties client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic;
    }

    @Override
    public void write(List<DeadLetter> entries) {
        if (entries.isEmpty()) {
            return;
        }
        KafkaProducer<String, byte[]> p = producer();
        String now = Instant.now().toString();
        List<Future<RecordMetadata>> sent = new ArrayList<>(entries.size());
        for (DeadLetter e : entries) {
            ObjectNode m = JSON.createObjectNode();
            m.put("link", e.link());
            m.put("position", e.position());
            m.put("field", e.field());
            m.put("reason", e.reason());
            m.put("rawMessage", e.raw() == null ? null : new String(e.raw(), StandardCharsets.UTF_8));
            m.put("time", now);
            try {
                sent.add(p.send(new ProducerRecord<>(topic, e.link(), JSON.writeValueAsBytes(m))));
            } catch (IOException io) {
                throw new IllegalStateException("cannot encode a dead letter", io);
            }
        }
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the dead-letter topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            // the batch is retried from its position: the dirty records are sent again then
            throw new IllegalStateException("could not write to the dead-letter topic " + topic + ": " + Errors.describe(e), e);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(client);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** The link's newest entries among the newest {@value #READ_WINDOW} messages of each partition. */
    @Override
    public List<Map<String, Object>> read(String link, int limit) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<ConsumerRecord<String, byte[]>> mine = TopicTail.newest(c, topic, READ_WINDOW).stream()
                    .filter(r -> link.equals(r.key()))
                    .toList();
            List<Map<String, Object>> out = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : mine.subList(0, Math.min(limit, mine.size()))) {
                out.add(entry(r.value()));
            }
            return out;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("could not read the dead-letter topic " + topic + ": " + Errors.describe(e), e);
        }
    }

    private static Map<String, Object> entry(byte[] value) {
        Map<String, Object> row = new LinkedHashMap<>();
        try {
            JsonNode n = JSON.readTree(value);
            for (String f : List.of("position", "field", "reason", "rawMessage", "time")) {
                row.put(f, n.hasNonNull(f) ? n.get(f).asText() : null);
            }
        } catch (IOException e) {
            row.put("reason", "unreadable dead-letter message: " + e.getMessage());
        }
        return row;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
