package io.sluice.binlog;

import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
public class BinlogToKafkaKillIT {

    private static final int ROWS = 3_000;
    private static final String TOPIC = "cdc.killed";
    private static final int SNAPSHOT_ROWS = 30_000;
    private static final int SNAPSHOT_ROWS_PER_SECOND = 3_000;

    @Test
    void aKilledInstanceLosesNoChangeAndItsReplaysCarryTheirBinlogPosition() throws Exception {
        TestServers.mariaDb().execute("CREATE DATABASE cdc_kill; CREATE TABLE cdc_kill.seq (id INT PRIMARY KEY, n INT); "
                + "INSERT INTO cdc_kill.seq VALUES (-1, 0)");
        try (SluiceProcess sluice = app("cdc-killed", TOPIC, 7301, "databases: cdc_kill", "maxBatchSize: 200")) {
            sluice.start();
            // the full load (one row) first, so that the workload comes from the binlog
            await().atMost(Duration.ofSeconds(120)).until(() -> ChangeTopic.messages(TOPIC).stream()
                    .anyMatch(m -> !Boolean.TRUE.equals(m.getIsDdl())));
            CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> workload("cdc_kill.seq", ROWS));
            await().atMost(Duration.ofSeconds(120)).until(() -> ChangeTopic.changes(TOPIC).size() >= ROWS / 3);
            sluice.kill();
            int atKill = ChangeTopic.changes(TOPIC).size();
            workload.get();
            assertTrue(atKill < 2 * ROWS, "killed mid-stream, with " + atKill + " changes sent");
            sluice.start();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertEquals(ChangeTopic.rows("cdc_kill", "seq", "id", List.of("id", "n")),
                            ChangeTopic.replay(ChangeTopic.messages(TOPIC), "cdc_kill", "seq", "id", List.of("id", "n"))));
        }
        assertEveryChangeArrivedAndReplaysAreRecognisable(TOPIC, 2 * ROWS + 1);
    }

    /**
     * Every one of {@code expected} distinct changes (the full load, each insert, each update) is in {@code topic} at
     * least once, and a duplicate is the same change at the same binlog position (a replay, recognisable as such).
     */
    public static void assertEveryChangeArrivedAndReplaysAreRecognisable(String topic, int expected) {
        Map<String, Set<String>> bodiesByPosition = new HashMap<>();
        Set<String> changes = new HashSet<>();
        for (ChangeTopic.Change c : ChangeTopic.changes(topic)) {
            String change = c.type() + " " + c.row();
            changes.add(change);
            bodiesByPosition.computeIfAbsent(c.position(), k -> new HashSet<>()).add(change);
        }
        assertEquals(expected, changes.size(), "the full load, each insert and each update, at least once");
        assertTrue(bodiesByPosition.values().stream().allMatch(s -> s.size() == 1),
                "one binlog position, one change: replays are recognisable");
        assertEquals(expected, bodiesByPosition.size());
    }

    /**
     * SIGKILL while the full load of a table is running (throttled to {@value #SNAPSHOT_ROWS_PER_SECOND} rows/s so
     * that it is), then a start: the full load runs again from the start, so every row arrives, the ones sent before
     * the kill twice (a full-load row carries the position header {@code snapshot}: duplicates are identifiable);
     * then updates that increment a counter, an insert and deletes arrive from the binlog in order per key, each
     * change once, and replaying the topic gives the table. The updates touch 300 rows per statement, so one
     * transaction spans several rows events, whose rows share {@code file:pos:row} (pos is the transaction's):
     * a change is identified by its header and its key.
     */
    @Test
    void aKillDuringTheFullLoadLosesNoRowAndTheChangesAfterItArriveInOrderPerKey() throws Exception {
        String topic = "cdc.snapshot-killed";
        createFullLoadTable("cdc_snapkill", SNAPSHOT_ROWS);
        try (SluiceProcess sluice = app("cdc-snapshot-killed", topic, 7302, "databases: cdc_snapkill",
                "maxBatchSize: 500", "fullRowsPerSecond: " + SNAPSHOT_ROWS_PER_SECOND)) {
            sluice.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ChangeTopic.count(topic) >= SNAPSHOT_ROWS / 5);
            sluice.kill();
            long atKill = ChangeTopic.count(topic);
            assertTrue(atKill < SNAPSHOT_ROWS, "killed during the full load, with " + atKill + " rows sent");
            sluice.start();
            changesAfterTheFullLoad(topic, "cdc_snapkill", SNAPSHOT_ROWS, atKill);
        }
        assertFullLoadAgainThenEachChangeOnceInOrder(topic, SNAPSHOT_ROWS);
    }

    /**
     * Table {@code db.seq (id, n, pad)} (database created) with {@code rows} rows, n = 0: the table of a full load that
     * is killed, for {@link #changesAfterTheFullLoad} and {@link #assertFullLoadAgainThenEachChangeOnceInOrder}.
     */
    public static void createFullLoadTable(String db, int rows) {
        TestServers.mariaDb().execute("CREATE DATABASE " + db + "; CREATE TABLE " + db + ".seq "
                + "(id INT PRIMARY KEY, n INT, pad VARCHAR(100))");
        for (int from = 0; from < rows; from += 1000) {
            StringBuilder sb = new StringBuilder("INSERT INTO " + db + ".seq VALUES ");
            for (int i = from; i < Math.min(from + 1000, rows); i++) {
                sb.append(i == from ? "" : ",").append("(").append(i).append(",0,'row ").append(i).append("')");
            }
            TestServers.mariaDb().execute(sb.toString());
        }
    }

    /**
     * Once {@code topic} holds the whole full load again after the {@code atKill} messages of the killed one: ten
     * rounds of counter updates of every hundredth row (with an insert and deletes in the middle), and waits until
     * replaying the topic gives the table.
     */
    public static void changesAfterTheFullLoad(String topic, String db, int rows, long atKill) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> ChangeTopic.count(topic) >= atKill + rows);
        for (int round = 1; round <= 5; round++) {
            TestServers.mariaDb().execute("UPDATE " + db + ".seq SET n = n + 1 WHERE id % 100 = 0");
        }
        TestServers.mariaDb().execute("INSERT INTO " + db + ".seq VALUES (" + (rows + 7) + ", 0, 'new'); "
                + "DELETE FROM " + db + ".seq WHERE id % 1000 = 1");
        for (int round = 6; round <= 10; round++) {
            TestServers.mariaDb().execute("UPDATE " + db + ".seq SET n = n + 1 WHERE id % 100 = 0");
        }
        awaitTopicEqualsTable(topic, db);
    }

    /** Waits until replaying {@code topic} by key gives table {@code db.seq (id, n, pad)}. */
    public static void awaitTopicEqualsTable(String topic, String db) {
        List<String> columns = List.of("id", "n", "pad");
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertEquals(ChangeTopic.rows(db, "seq", "id", columns),
                        ChangeTopic.replay(ChangeTopic.messages(topic), db, "seq", "id", columns)));
    }

    /**
     * After {@link #changesAfterTheFullLoad}: every row of the table in the full load, the rows sent before the kill
     * twice at most; each binlog change once; every counter update of every updated key, in order.
     */
    public static void assertFullLoadAgainThenEachChangeOnceInOrder(String topic, int rows) {
        Map<String, Integer> fullLoad = new HashMap<>();
        Map<String, List<Integer>> counters = new HashMap<>();
        Map<String, List<String>> byPosition = new HashMap<>();
        for (ChangeTopic.Change c : ChangeTopic.changes(topic)) {
            String position = c.position();
            Map<String, String> row = c.row();
            if ("snapshot".equals(position)) {
                fullLoad.merge(row.get("id"), 1, Integer::sum);
            } else {
                // the header names each change, also in a transaction whose rows fill several rows events
                byPosition.computeIfAbsent(position, k -> new ArrayList<>()).add(c.type() + " " + row);
                if ("UPDATE".equals(c.type())) {
                    counters.computeIfAbsent(row.get("id"), k -> new ArrayList<>()).add(Integer.valueOf(row.get("n")));
                }
            }
        }
        assertEquals(rows, fullLoad.size(), "every row of the table in the full load");
        assertTrue(fullLoad.values().stream().anyMatch(c -> c > 1), "the rows sent before the kill came again");
        assertTrue(fullLoad.values().stream().allMatch(c -> c <= 2), "at most twice (one killed full load, one whole)");
        List<String> twice = byPosition.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(3)
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        assertTrue(twice.isEmpty(), "each binlog change once after the restart: " + twice);
        assertEquals(rows / 100, counters.size(), "the counter updates of every updated key");
        List<Integer> rounds = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        counters.forEach((id, n) -> assertEquals(rounds, n, "key " + id + ": every update, once, in order"));
    }

    /**
     * The workload, over two seeds: 2,000 rows, a full load throttled to {@value #PHANTOM_ROWS_PER_SECOND} rows/s,
     * and meanwhile inserts, updates, deletes (half of them of the first rows, which the full load sends first) and
     * 300-row updates; SIGKILL inside the first full load, again inside the repeated one, and once more at a random
     * later time (in the third attempt, the binlog replay or streaming). Rows the killed attempts sent and the source
     * deleted before a later attempt read them must not stay in the topic: replayed by key (the last message of each
     * key; a DELETE removes it), the topic equals the table.
     */
    @Test
    void killsInsideTheFullLoadWhileRowsAreDeletedLeaveNoPhantomRows() throws Exception {
        for (long seed : new long[] {11, 29}) {
            killsDuringTheFullLoadConverge(seed);
        }
    }

    private static final int PHANTOM_ROWS = 2_000;
    private static final int PHANTOM_ROWS_PER_SECOND = 400;

    private void killsDuringTheFullLoadConverge(long seed) throws Exception {
        String db = "cdc_phantom_" + seed;
        String topic = "cdc.phantom-" + seed;
        TestServers.mariaDb().execute("CREATE DATABASE " + db + "; CREATE TABLE " + db + ".t "
                + "(id INT PRIMARY KEY, n INT, pad VARCHAR(100))");
        StringBuilder rows = new StringBuilder("INSERT INTO " + db + ".t VALUES ");
        for (int i = 0; i < PHANTOM_ROWS; i++) {
            rows.append(i == 0 ? "" : ",").append("(").append(i).append(",0,'row ").append(i).append("')");
        }
        TestServers.mariaDb().execute(rows.toString());
        List<String> columns = List.of("id", "n", "pad");
        java.util.Random random = new java.util.Random(seed);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try (SluiceProcess sluice = app("cdc-phantom-" + seed, topic, 7320 + (int) (seed % 50), "databases: " + db,
                "maxBatchSize: 100", "fullRowsPerSecond: " + PHANTOM_ROWS_PER_SECOND, "heartbeatIntervalMs: 1000",
                "offsetFlushIntervalMs: 500")) {
            sluice.start();
            CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> phantomWorkload(db, seed, stop));
            try {
                // kill 1: inside the first full load
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ChangeTopic.count(topic) >= PHANTOM_ROWS / 5);
                sluice.kill();
                long first = ChangeTopic.count(topic);
                assertTrue(first < PHANTOM_ROWS, "seed " + seed + ": killed inside the first full load, " + first + " sent");
                // kill 2: inside the repeated full load
                sluice.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ChangeTopic.count(topic) >= first + PHANTOM_ROWS / 4);
                sluice.kill();
                long second = ChangeTopic.count(topic) - first;
                assertTrue(second < PHANTOM_ROWS, "seed " + seed + ": killed inside the second full load, " + second + " sent");
                // kill 3: at a random later time
                sluice.start();
                Thread.sleep(2_000 + random.nextInt(10_000));
                sluice.kill();
                sluice.start();
                Thread.sleep(5_000);
            } finally {
                stop.set(true);
                workload.get();
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                Map<String, Map<String, String>> table = ChangeTopic.rows(db, "t", "id", columns);
                Map<String, Map<String, String>> replayed = ChangeTopic.replay(ChangeTopic.messages(topic), db, "t", "id", columns);
                Set<String> phantoms = new java.util.TreeSet<>(replayed.keySet());
                phantoms.removeAll(table.keySet());
                assertEquals(table, replayed, "seed " + seed + ": " + phantoms.size() + " keys in the topic that the table "
                        + "no longer has (phantom rows), e.g. " + phantoms.stream().limit(10).toList());
            });
        }
    }

    /**
     * Until stopped: inserts of new keys, updates and deletes of random keys (half of the deletes among the first 400,
     * which every full load sends first), and every tenth statement an update of 300 consecutive rows in one
     * transaction, about 40 statements a second.
     */
    private static void phantomWorkload(String db, long seed, java.util.concurrent.atomic.AtomicBoolean stop) {
        java.util.Random random = new java.util.Random(seed * 31 + 7);
        int next = PHANTOM_ROWS;
        while (!stop.get()) {
            int op = random.nextInt(10);
            String sql;
            if (op == 0) {
                int from = random.nextInt(next);
                sql = "UPDATE " + db + ".t SET n = n + 1 WHERE id >= " + from + " AND id < " + (from + 300);
            } else if (op <= 3) {
                sql = "INSERT INTO " + db + ".t VALUES (" + next++ + ", 0, 'new')";
            } else if (op <= 6) {
                sql = "UPDATE " + db + ".t SET n = n + 1, pad = 'u" + random.nextInt(1000) + "' WHERE id = " + random.nextInt(next);
            } else {
                int id = random.nextBoolean() ? random.nextInt(400) : random.nextInt(next);
                sql = "DELETE FROM " + db + ".t WHERE id = " + id;
            }
            TestServers.mariaDb().execute(sql);
            pause(25);
        }
    }

    /**
     * The packaged app with one link {@code id} (see {@link #route}), reading the binlog as server {@code serverId}.
     */
    private static SluiceProcess app(String id, String topic, int serverId, String... sourceOptions) throws Exception {
        Map<String, String> props = new HashMap<>(sources(serverId));
        props.putAll(Map.of(
                "sluice.state.dir", "state",
                "sluice.api.token", "kill-test-token-0123456789"));
        Path dir = Path.of("target", "binlog-kill-it-" + id + "-" + System.currentTimeMillis());
        return new SluiceProcess(dir, props, Map.of(id + ".yaml", route(id, topic, sourceOptions)));
    }

    /** The settings of the data sources {@link #route} uses: MySQL {@code src} (reading as {@code serverId}), Kafka. */
    public static Map<String, String> sources(int serverId) {
        Map<String, String> props = new HashMap<>(TestServers.mysqlDataSource("src", serverId));
        props.put("kafka.bootstrap.servers", TestServers.kafka().bootstrapServers());
        return props;
    }

    /**
     * Link {@code id}: the test kit's MariaDB ({@code sourceOptions}: the source's parameters besides dataSource, as
     * YAML {@code key: value}) to {@code topic} in Canal JSON, keyed by primary key over 3 partitions.
     */
    public static String route(String id, String topic, String... sourceOptions) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s"
                      parameters:
                        dataSource: src
                        %s
                      steps:
                        - to:
                            uri: "kafka-change:%s"
                            parameters:
                              brokers: "{{kafka.bootstrap.servers}}"
                              format: canal-json
                              partitionPolicy: by-primary-key
                              createTopics: true
                              partitions: 3
                """.formatted(id, id, String.join("\n        ", sourceOptions), topic);
    }

    /**
     * Into {@code table} (id INT PRIMARY KEY, n INT): inserts rows 0 to {@code rows} - 1 (n = id), then updates each
     * row once (n + 100000), in small transactions, so that a kill lands while batches are in flight.
     */
    public static void workload(String table, int rows) {
        for (int from = 0; from < rows; from += 50) {
            StringBuilder sb = new StringBuilder("INSERT INTO " + table + " VALUES ");
            for (int i = from; i < from + 50; i++) {
                sb.append(i == from ? "" : ",").append("(").append(i).append(",").append(i).append(")");
            }
            TestServers.mariaDb().execute(sb.toString());
            pause(20);
        }
        updateEach(table, rows, 100_000);
    }

    /** Adds {@code add} to n of rows 0 to {@code rows} - 1 of {@code table}, 50 rows a transaction. */
    public static void updateEach(String table, int rows, int add) {
        for (int from = 0; from < rows; from += 50) {
            TestServers.mariaDb().execute("UPDATE " + table + " SET n = n + " + add + " WHERE id >= " + from
                    + " AND id < " + (from + 50));
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
