package io.sluice.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;

import static io.sluice.testkit.LinkApi.api;

/** What the browser tests set up and check on the real servers: JSON messages in Kafka, rows in MariaDB. */
final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Sends messages {@code from} .. {@code to - 1} of {@code message(i)} to {@code topic} and waits for the acks. */
    static void send(String topic, int from, int to, IntFunction<String> message) {
        try (KafkaProducer<String, String> producer = TestServers.producer()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, String.valueOf(i), message.apply(i))).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** A JSON object as text (values escaped by Jackson). */
    static String json(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static long rows(String table) {
        return TestServers.queryLong("SELECT COUNT(*) FROM " + table);
    }

    /** Removes a link a test added (and its routes/ file, where links are written there). */
    static void deleteLink(String id) {
        api().delete("/api/links/" + id);
    }
}
