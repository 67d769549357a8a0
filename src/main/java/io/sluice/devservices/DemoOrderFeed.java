package io.sluice.devservices;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** In the embedded default, writes a few JSON messages a second to demo.orders and demo.events for the example links. */
@ApplicationScoped
public class DemoOrderFeed {

    static final String TOPIC = "demo.orders";
    static final String EVENTS_TOPIC = "demo.events";
    private static final Logger LOG = Logger.getLogger(DemoOrderFeed.class);

    @Inject
    EmbeddedConfig config;

    private ScheduledExecutorService timer;
    private KafkaProducer<String, String> producer;
    private final AtomicLong nextId = new AtomicLong(1);

    void start(@Observes StartupEvent event) {
        if (!config.enabled() || config.kafka().bootstrapServers().isEmpty()) {
            return;
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers().get(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sluice-demo-feed"));
        timer.scheduleAtFixedRate(this::send, 1000, 200, TimeUnit.MILLISECONDS);
        LOG.infof("Embedded demo feed: 5 orders/s to Kafka topic %s", TOPIC);
    }

    private void send() {
        long id = nextId.getAndIncrement();
        BigDecimal amount = BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(100, 100000), 2).setScale(2, RoundingMode.UNNECESSARY);
        String json = "{\"id\":" + id + ",\"customer\":\"customer-" + (id % 17) + "\",\"amount\":" + amount
                + ",\"created_at\":\"" + LocalDateTime.now().withNano(0) + "\"}";
        producer.send(new ProducerRecord<>(TOPIC, String.valueOf(id), json));
        String event = "{\"id\":" + id + ",\"user\":{\"name\":\"user-" + (id % 17) + "\",\"level\":" + (id % 5)
                + "},\"order\":{\"amount\":" + amount + "},\"ts\":" + System.currentTimeMillis() / 1000
                + ",\"tags\":[\"demo\"]}";
        producer.send(new ProducerRecord<>(EVENTS_TOPIC, String.valueOf(id), event));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            producer.close();
        }
    }
}
