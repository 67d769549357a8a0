package io.sluice.binlog;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a topic of Canal JSON change messages back with canal's FlatMessage and replays them into table contents. */
public final class ChangeTopic {

    private ChangeTopic() {
    }

    /** Every record of {@code topic}, partition by partition in offset order (the topic must exist). */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(TestServers.kafka().bootstrapServers(), topic);
    }

    /** Every record of {@code topic} on the cluster at {@code bootstrapServers}, partition by partition. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>(
                    (a, b) -> Integer.compare(a.partition(), b.partition()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    byPartition.computeIfAbsent(new TopicPartition(topic, r.partition()), k -> new ArrayList<>()).add(r);
                }
            }
            byPartition.values().forEach(out::addAll);
        }
        return out;
    }

    /** How many records the topic holds (the sum of its partitions' end offsets; 0 before it exists). */
    public static long count(String topic) {
        return count(TestServers.kafka().bootstrapServers(), topic);
    }

    /** How many records {@code topic} holds on the cluster at {@code bootstrapServers}. */
    public static long count(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.listTopics(Duration.ofSeconds(10)).get(topic);
            if (infos == null) {
                return 0;
            }
            return c.endOffsets(infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList())
                    .values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static List<FlatMessage> messages(String topic) {
        return messages(TestServers.kafka().bootstrapServers(), topic);
    }

    /** The Canal JSON messages of {@code topic} on the cluster at {@code bootstrapServers}. */
    public static List<FlatMessage> messages(String bootstrapServers, String topic) {
        return readAll(bootstrapServers, topic).stream().map(r -> JSON.parseObject(r.value(), FlatMessage.class)).toList();
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * The rows of {@code database.table} the messages describe, by the value of column {@code key}, applied in order:
     * an insert or update sets the row, a delete removes it. Per key order is what matters, and a key's messages
     * share a partition under every partition policy.
     */
    public static Map<String, Map<String, String>> replay(List<FlatMessage> messages, String database, String table, String key,
                                                  List<String> columns) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (FlatMessage m : messages) {
            if (Boolean.TRUE.equals(m.getIsDdl()) || !database.equals(m.getDatabase()) || !table.equals(m.getTable())) {
                continue;
            }
            for (Map<String, String> row : m.getData()) {
                switch (m.getType()) {
                    case "INSERT", "UPDATE" -> rows.put(row.get(key), project(row, columns));
                    case "DELETE" -> rows.remove(row.get(key));
                    default -> throw new AssertionError("unexpected type " + m.getType());
                }
            }
        }
        return rows;
    }

    /** The table's rows as text, by the value of column {@code key}. */
    public static Map<String, Map<String, String>> rows(String database, String table, String key, List<String> columns) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + database + "." + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i), rs.getString(i));
                }
                rows.put(row.get(key), project(row, columns));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static Map<String, String> project(Map<String, String> row, List<String> columns) {
        Map<String, String> out = new LinkedHashMap<>();
        columns.forEach(c -> out.put(c, row.get(c)));
        return out;
    }

    /** Rows (id, 'v<id>', id) for ids from {@code from} to {@code to} - 1, one statement, into a table (id, v, n). */
    public static void insertRange(String table, int from, int to) {
        StringBuilder sb = new StringBuilder("INSERT INTO " + table + " (id, v, n) VALUES ");
        for (int i = from; i < to; i++) {
            sb.append(i == from ? "" : ",").append("(").append(i).append(",'v").append(i).append("',").append(i).append(")");
        }
        TestServers.mariaDb().execute(sb.toString());
    }

    /** Waits until the topic's Canal JSON messages, replayed, give the rows (id, v, n) of the table. */
    public static void awaitReplayEqualsTable(String topic, String db, String table) {
        List<String> columns = List.of("id", "v", "n");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                org.junit.jupiter.api.Assertions.assertEquals(rows(db, table, "id", columns),
                        replay(messages(topic), db, table, "id", columns)));
    }

    /** One row change of a message, with its own position: {@code file:pos:event:row}, or {@code snapshot}. */
    public record Change(String position, String type, Map<String, String> row) {
    }

    /**
     * The row changes a record carries, in order: a Canal JSON message holds the rows of one binlog rows event (one
     * partition's share), and its {@code sluice.binlog} header names their rows ({@code file:pos:event:row,row,...});
     * none for DDL.
     */
    public static List<Change> changes(ConsumerRecord<byte[], byte[]> r) {
        FlatMessage m = JSON.parseObject(r.value(), FlatMessage.class);
        List<Change> out = new ArrayList<>();
        if (Boolean.TRUE.equals(m.getIsDdl()) || m.getData() == null) {
            return out;
        }
        String header = header(r, "sluice.binlog");
        int lastColon = header.lastIndexOf(':');
        String[] rows = header.substring(lastColon + 1).split(",");
        if (!"snapshot".equals(header) && rows.length != m.getData().size()) {
            throw new AssertionError("header " + header + " names " + rows.length + " rows, the message has " + m.getData().size());
        }
        for (int i = 0; i < m.getData().size(); i++) {
            String position = "snapshot".equals(header) ? header : header.substring(0, lastColon + 1) + rows[i];
            out.add(new Change(position, m.getType(), m.getData().get(i)));
        }
        return out;
    }

    /** Every row change in the topic (see {@link #changes}). */
    public static List<Change> changes(String topic) {
        return readAll(topic).stream().flatMap(r -> changes(r).stream()).toList();
    }

    /** How many row changes carry each binlog position: more than one means a replayed duplicate. */
    public static Map<String, Integer> positions(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            for (Change c : changes(r)) {
                out.merge(c.position(), 1, Integer::sum);
            }
        }
        return out;
    }
}
