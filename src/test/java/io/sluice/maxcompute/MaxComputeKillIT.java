package io.sluice.maxcompute;

import com.aliyun.odps.data.Record;
import io.restassured.RestAssured;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * The packaged app running the MySQL -> MaxCompute link (the test kit's MariaDB, a local MaxCompute server started by
 * this test) is killed with SIGKILL while it streams a sequence-numbered workload of multi-statement transactions
 * (batches end inside transactions), and started again: every change is in {@code _log}, a change written twice
 * carries the same record_id both times (and a record_id one content), record_ids follow the binlog order, and the
 * merge of seed 003 equals the source table.
 */
class MaxComputeKillIT {

    private static final int ROWS = 3_000;
    private static final String LINK = "mc-killed";
    private static final String DB = "mc_kill";

    @Test
    void aKilledLinkLosesNoChangeAndWritesReplaysWithTheirRecordIds() throws Exception {
        TestServers.mariaDb().execute("CREATE DATABASE " + DB + "; CREATE TABLE " + DB + ".seq (id INT PRIMARY KEY, n INT); "
                + "INSERT INTO " + DB + ".seq VALUES (-1, 0)");
        Map<String, String> props = new HashMap<>(Map.of(
                "sluice.mysql.src.host", "127.0.0.1",
                "sluice.mysql.src.port", String.valueOf(TestServers.mariaDb().port()),
                "sluice.mysql.src.username", "sluice",
                "sluice.mysql.src.password", "sluice-demo-pw",
                "sluice.mysql.src.server-id", "7321",
                "sluice.state.dir", "state",
                "sluice.api.token", "kill-test-token-0123456789"));
        props.putAll(Map.of(
                "sluice.maxcompute.mc.endpoint", TestServers.maxCompute().endpoint(),
                "sluice.maxcompute.mc.tunnel-endpoint", TestServers.maxCompute().tunnelEndpoint(),
                "sluice.maxcompute.mc.project", TestServers.MAXCOMPUTE_PROJECT,
                "sluice.maxcompute.mc.access-id", TestServers.MAXCOMPUTE_ACCESS_ID,
                "sluice.maxcompute.mc.access-key", TestServers.MAXCOMPUTE_ACCESS_KEY));
        String route = """
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s"
                      parameters:
                        dataSource: src
                        databases: %s
                        maxBatchSize: 137
                      steps:
                        - to:
                            uri: "maxcompute:killed"
                            parameters:
                              dataSource: mc
                """.formatted(LINK, LINK, DB);
        Path dir = Path.of("target", "maxcompute-kill-it-" + System.currentTimeMillis());
        try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of(LINK + ".yaml", route))) {
            sluice.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> exists("seq_base") && McTables.read("seq_base", null).size() == 1);
            CompletableFuture<Void> workload = CompletableFuture.runAsync(MaxComputeKillIT::workload);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> log().size() >= ROWS / 2);
            sluice.kill();
            int atKill = log().size();
            workload.get();
            assertTrue(atKill < 3 * ROWS, "killed mid-stream, with " + atKill + " rows written");
            sluice.start();
            List<String> source = MergeCheck.source(DB, "seq", List.of("id", "n"));
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertEquals(source, MergeCheck.merge(RestAssured.given().baseUri(sluice.baseUrl())
                            .header("Authorization", "Bearer kill-test-token-0123456789")
                            .get("/api/links/" + LINK + "/merge-sql?table=seq&time=" + (Instant.now().getEpochSecond() + 3600))
                            .then().statusCode(200).extract().asString(), "seq")));
        }
        // every change at least once; a record_id (and image) has one content, a content one record_id
        Map<String, Set<Long>> idsByChange = new HashMap<>();
        Map<String, Set<String>> changesById = new HashMap<>();
        List<Record> log = log();
        for (Record r : log) {
            String change = r.getString("new_dts_sync_operation_flag") + r.getString("new_dts_sync_before_flag")
                    + r.getString("new_dts_sync_after_flag") + " " + r.get("id") + " " + r.get("n");
            long id = r.getBigint("new_dts_sync_record_id");
            idsByChange.computeIfAbsent(change, k -> new HashSet<>()).add(id);
            changesById.computeIfAbsent(id + r.getString("new_dts_sync_after_flag"), k -> new HashSet<>()).add(change);
        }
        assertEquals(3 * ROWS, idsByChange.size(), "each insert and both images of each update, of " + log.size() + " rows");
        assertTrue(idsByChange.values().stream().allMatch(s -> s.size() == 1), "a change written twice has one record_id");
        assertTrue(changesById.values().stream().allMatch(s -> s.size() == 1), "a record_id has one content");
        assertTrue(log.size() > 3 * ROWS, "the kill made the link write some changes again: " + log.size());
        for (int i = 0; i < ROWS; i++) {
            long insert = idsByChange.get("INY " + i + " " + i).iterator().next();
            long update = idsByChange.get("UNY " + i + " " + (i + 100_000)).iterator().next();
            assertEquals(update, idsByChange.get("UYN " + i + " " + i).iterator().next());
            assertTrue(insert < update, "record_ids follow the binlog order");
        }
    }

    private static boolean exists(String table) throws Exception {
        return McTables.target().odps().tables().exists(table);
    }

    private static List<Record> log() throws Exception {
        return exists("seq_log") ? McTables.readAllPartitions("seq_log") : List.of();
    }

    /**
     * Inserts, then updates each row once, in transactions of several statements (5 inserts of 10 rows, 2 updates of
     * 25 rows), so that batches (137 changes) end inside transactions and the kill lands while batches are in flight.
     */
    private static void workload() {
        for (int from = 0; from < ROWS; from += 50) {
            StringBuilder sb = new StringBuilder("BEGIN;");
            for (int s = from; s < from + 50; s += 10) {
                sb.append("INSERT INTO " + DB + ".seq VALUES ");
                for (int i = s; i < s + 10; i++) {
                    sb.append(i == s ? "" : ",").append("(").append(i).append(",").append(i).append(")");
                }
                sb.append(";");
            }
            TestServers.mariaDb().execute(sb.append("COMMIT").toString());
            pause(20);
        }
        for (int from = 0; from < ROWS; from += 50) {
            TestServers.mariaDb().execute("BEGIN; UPDATE " + DB + ".seq SET n = n + 100000 WHERE id >= " + from
                    + " AND id < " + (from + 25) + "; UPDATE " + DB + ".seq SET n = n + 100000 WHERE id >= " + (from + 25)
                    + " AND id < " + (from + 50) + "; COMMIT");
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
