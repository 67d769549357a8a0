package io.sluice.change;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import com.aliyun.dts.subscribe.clients.formats.avro.Record;
import com.aliyun.dts.subscribe.clients.recordgenerator.AvroDeserializer;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Encoded change events through the test kit's real Kafka broker: each record goes to the partition its policy names
 * (with no key, as canal and DTS send them), and a consumer gets them back in order per partition, readable by
 * canal's {@code FlatMessage} and the DTS SDK.
 */
class ChangeToKafkaTest {

    private static final int PARTITIONS = 3;
    private static final List<ChangeColumn> COLUMNS = List.of(
            new ChangeColumn("id", MySqlType.of("INT", 11, null, null), true, false),
            new ChangeColumn("v", MySqlType.of("INT", 11, null, null), false, true));

    @Test
    void eachKeysChangesStayInOrderOnTheirPartition() throws Exception {
        String bootstrap = TestServers.kafka().bootstrapServers();
        String canalTopic = "change-canal";
        String dtsTopic = "change-dts";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(canalTopic, PARTITIONS, (short) 1), new NewTopic(dtsTopic, PARTITIONS, (short) 1)))
                    .all().get();
        }
        // ten keys, three versions each, interleaved
        List<ChangeEvent> events = new ArrayList<>();
        for (int version = 0; version < 3; version++) {
            for (int id = 0; id < 10; id++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", (long) id);
                row.put("v", (long) version);
                events.add(new ChangeEvent("shop", "orders", version == 0 ? Operation.INSERT : Operation.UPDATE, COLUMNS,
                        version == 0 ? null : row, row, null, new SourcePosition("mariadb-bin.000002", 100 + events.size(), 0,
                        null, 1, null, 1_700_000_000_000L, false)));
            }
        }
        ChangeEncoder canal = new CanalJsonEncoder(ZoneOffset.UTC, Clock.systemUTC());
        ChangeEncoder dts = new DtsAvroEncoder("11.4.5-MariaDB");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            long seq = 0;
            for (ChangeEvent e : events) {
                int partition = PartitionPolicy.BY_PRIMARY_KEY.partition(e, PARTITIONS);
                producer.send(new ProducerRecord<>(canalTopic, partition, null, canal.encode(e, seq)));
                producer.send(new ProducerRecord<>(dtsTopic, partition, null, dts.encode(e, seq)));
                seq++;
            }
        }

        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<String, Long> lastVersion = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, canalTopic, events.size())) {
            FlatMessage m = JSON.parseObject(r.value(), FlatMessage.class);
            String id = m.getData().get(0).get("id");
            assertEquals(partitionOfKey.computeIfAbsent(id, k -> r.partition()), r.partition(), "key " + id + " on one partition");
            long v = Long.parseLong(m.getData().get(0).get("v"));
            assertEquals(lastVersion.getOrDefault(id, -1L) + 1, v, "key " + id + " in order");
            lastVersion.put(id, v);
        }
        assertEquals(10, lastVersion.size());

        Map<Long, Integer> dtsPartitionOfKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, dtsTopic, events.size())) {
            Record record = new AvroDeserializer().deserialize(r.value());
            List<?> after = (List<?>) record.getAfterImages();
            long id = Long.parseLong(((com.aliyun.dts.subscribe.clients.formats.avro.Integer) after.get(0)).getValue());
            assertEquals(dtsPartitionOfKey.computeIfAbsent(id, k -> r.partition()), r.partition());
            assertEquals(partitionOfKey.get(String.valueOf(id)), r.partition(), "both formats partition alike");
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "change-test-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < count && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        assertEquals(count, out.size(), "records read back from " + topic);
        return out;
    }
}
