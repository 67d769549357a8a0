package io.sluice.binlog;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app streaming a sequence-numbered workload from the MariaDB binlog to Kafka, killed with SIGKILL
 * mid-stream and started again: every change arrives; a change sent twice (its position was not yet stored when the
 * process died) carries the same binlog position header both times, so it is recognisable as a replay.
 */
class BinlogToKafkaKillIT {

    private static final int ROWS = 3_000;
    private static final String TOPIC = "cdc.killed";

    @Test
    void aKilledInstanceLosesNoChangeAndItsReplaysCarryTheirBinlogPosition() throws Exception {
        TestServers.mariaDb().execute("CREATE DATABASE cdc_kill; CREATE TABLE cdc_kill.seq (id INT PRIMARY KEY, n INT); "
                + "INSERT INTO cdc_kill.seq VALUES (-1, 0)");
        Map<String, String> props = Map.of(
                "sluice.mysql.src.host", "127.0.0.1",
                "sluice.mysql.src.port", String.valueOf(TestServers.mariaDb().port()),
                "sluice.mysql.src.username", "sluice",
                "sluice.mysql.src.password", "sluice-demo-pw",
                "sluice.mysql.src.server-id", "7301",
                "sluice.state.dir", "state",
                "kafka.bootstrap.servers", TestServers.kafka().bootstrapServers(),
                "sluice.api.token", "kill-test-token-0123456789");
        String route = """
                - route:
                    id: cdc-killed
                    from:
                      uri: "mysql-binlog:cdc-killed"
                      parameters:
                        dataSource: src
                        databases: cdc_kill
                        maxBatchSize: 200
                      steps:
                        - to:
                            uri: "kafka-change:%s"
                            parameters:
                              brokers: "{{kafka.bootstrap.servers}}"
                              format: canal-json
                              partitionPolicy: by-primary-key
                              createTopics: true
                              partitions: 3
                """.formatted(TOPIC);
        Path dir = Path.of("target", "binlog-kill-it-" + System.currentTimeMillis());
        try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of("cdc-killed.yaml", route))) {
            sluice.start();
            // the full load (one row) first, so that the workload comes from the binlog
            await().atMost(Duration.ofSeconds(120)).until(() -> ChangeTopic.messages(TOPIC).stream()
                    .anyMatch(m -> !Boolean.TRUE.equals(m.getIsDdl())));
            CompletableFuture<Void> workload = CompletableFuture.runAsync(BinlogToKafkaKillIT::workload);
            await().atMost(Duration.ofSeconds(120)).until(() -> ChangeTopic.readAll(TOPIC).size() >= ROWS / 3);
            sluice.kill();
            int atKill = ChangeTopic.readAll(TOPIC).size();
            workload.get();
            assertTrue(atKill < 2 * ROWS, "killed mid-stream, with " + atKill + " changes sent");
            sluice.start();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertEquals(ChangeTopic.rows("cdc_kill", "seq", "id", List.of("id", "n")),
                            ChangeTopic.replay(ChangeTopic.messages(TOPIC), "cdc_kill", "seq", "id", List.of("id", "n"))));
        }
        // every insert and every update arrived; a duplicate is the same change at the same binlog position
        List<ConsumerRecord<byte[], byte[]>> records = ChangeTopic.readAll(TOPIC);
        Map<String, Set<String>> bodiesByPosition = new HashMap<>();
        Set<String> changes = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FlatMessage m = JSON.parseObject(r.value(), FlatMessage.class);
            if (Boolean.TRUE.equals(m.getIsDdl())) {
                continue;
            }
            String change = m.getType() + " " + m.getData().get(0);
            changes.add(change);
            bodiesByPosition.computeIfAbsent(ChangeTopic.header(r, "sluice.binlog"), k -> new HashSet<>()).add(change);
        }
        assertEquals(2 * ROWS + 1, changes.size(), "the full load, each insert and each update, at least once");
        assertTrue(bodiesByPosition.values().stream().allMatch(s -> s.size() == 1),
                "one binlog position, one change: replays are recognisable");
        assertEquals(2 * ROWS + 1, bodiesByPosition.size());
    }

    /** Inserts, then updates each row once, in small transactions, so the kill lands while batches are in flight. */
    private static void workload() {
        for (int from = 0; from < ROWS; from += 50) {
            StringBuilder sb = new StringBuilder("INSERT INTO cdc_kill.seq VALUES ");
            for (int i = from; i < from + 50; i++) {
                sb.append(i == from ? "" : ",").append("(").append(i).append(",").append(i).append(")");
            }
            TestServers.mariaDb().execute(sb.toString());
            pause(20);
        }
        for (int from = 0; from < ROWS; from += 50) {
            TestServers.mariaDb().execute("UPDATE cdc_kill.seq SET n = n + 100000 WHERE id >= " + from + " AND id < " + (from + 50));
            pause(20);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
