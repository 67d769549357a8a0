package io.sluice.maxcompute;

import com.aliyun.odps.data.Record;
import io.restassured.RestAssured;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app running the MySQL -> MaxCompute link (the test kit's MariaDB, a local MaxCompute server started by
 * this test) is killed with SIGKILL while it streams a sequence-numbered workload of multi-statement transactions
 * (batches end inside transactions), and started again: every change is in {@code _log}, a change written twice
 * carries the same record_id both times (and a record_id one content), record_ids follow the binlog order, and the
 * merge of seed 003 equals the source table. Killed in the middle of the full load, it loads again from the start
 * (Debezium repeats an unfinished snapshot) into an emptied {@code _base}: no duplicates, the merge equals the source.
 */
public class MaxComputeKillIT {

    private static final int ROWS = 3_000;
    private static final String LINK = "mc-killed";
    private static final String DB = "mc_kill";
    private static final String TOKEN = "kill-test-token-0123456789";
    /** Where the link's Debezium offsets are stored (the file store under {@code sluice.state.dir}). */
    private static final Path OFFSETS = Path.of("state", LINK, "offsets.dat");

    @Test
    void aKilledLinkLosesNoChangeAndWritesReplaysWithTheirRecordIds() throws Exception {
        TestServers.mariaDb().execute("CREATE DATABASE " + DB + "; CREATE TABLE " + DB + ".seq (id INT PRIMARY KEY, n INT); "
                + "INSERT INTO " + DB + ".seq VALUES (-1, 0)");
        Path dir = Path.of("target", "maxcompute-kill-it-" + System.currentTimeMillis());
        try (SluiceProcess sluice = new SluiceProcess(dir, props(7321), Map.of(LINK + ".yaml",
                route(LINK, DB, "\n        maxBatchSize: 137\n        offsetFlushIntervalMs: 2000")))) {
            sluice.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> McTables.exists("seq_base") && McTables.read("seq_base", null).size() == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve(OFFSETS)));
            CompletableFuture<Void> workload = CompletableFuture.runAsync(() -> workload(DB, "seq", ROWS));
            killWithChangesWrittenAfterTheStoredPosition(() -> Files.readAllBytes(dir.resolve(OFFSETS)),
                    () -> log().size(), ROWS / 2, sluice::kill);
            int atKill = log().size();
            workload.get();
            assertTrue(atKill < 3 * ROWS, "killed mid-stream, with " + atKill + " rows written");
            sluice.start();
            awaitMergeEqualsSource(sluice, LINK, DB);
        }
        assertEachChangeWithOneRecordId(log(), ROWS, true);
    }

    @Test
    void aLinkKilledInTheMiddleOfTheFullLoadLoadsAgainWithoutDuplicates() throws Exception {
        String db = "mc_kill_load";
        String link = "mc-killed-load";
        int rows = 20_000;
        TestServers.mariaDb().execute("CREATE DATABASE " + db + "; CREATE TABLE " + db + ".big (id INT PRIMARY KEY, n INT)");
        insertRows(db + ".big", 0, rows);
        Path dir = Path.of("target", "maxcompute-kill-load-it-" + System.currentTimeMillis());
        // the full load throttled to about 5 s, in batches of 500 rows, each committed in MaxCompute
        try (SluiceProcess sluice = new SluiceProcess(dir, props(7322), Map.of(link + ".yaml",
                route(link, db, "\n        maxBatchSize: 500\n        fullRowsPerSecond: 4000")))) {
            sluice.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> McTables.exists("big_base") && McTables.read("big_base", null).size() >= rows / 5);
            sluice.kill();
            int atKill = McTables.read("big_base", null).size();
            assertTrue(atKill < rows, "killed in the middle of the full load, with " + atKill + " rows written");
            TestServers.mariaDb().execute("UPDATE " + db + ".big SET n = -n WHERE id % 100 = 0; DELETE FROM " + db
                    + ".big WHERE id % 1000 = 1; INSERT INTO " + db + ".big VALUES (" + rows + ", 1)");
            sluice.start();
            awaitMergeEqualsSource(sluice, link, db);
        }
        assertEquals(rows - rows / 1000 + 1, McTables.read("big_base", null).size(),
                "_base holds one full load (taken after the restart), not the interrupted one too");
    }

    /**
     * Kills the link ({@code kill}) once at least {@code atLeast} rows are in {@code _log} ({@code logRows}) and some of
     * them were written after the position last stored ({@code storedPosition}: the offsets file, or the offsets rows
     * of a shared state store): the restart then replays them, whenever the kill lands. (Killed at a count alone, the
     * link had sometimes just stored its position for every row written, and nothing was replayed.) A row that
     * {@code _log} shows now but did not show in a read begun after the stored position was last seen to change was
     * committed after it was stored; and the position read unchanged around the log read means no newer position was
     * stored before the kill, but for the moment between the last read of it and the kill.
     */
    public static void killWithChangesWrittenAfterTheStoredPosition(Callable<byte[]> storedPosition,
                                                                    Callable<Integer> logRows, int atLeast,
                                                                    Kill kill) {
        byte[][] seen = {null};
        int[] rowsWhenSeen = {0};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            byte[] before = storedPosition.call();
            int rows = logRows.call();
            byte[] after = storedPosition.call();
            if (!Arrays.equals(before, after)) {
                return false; // stored during the read: which rows it covers is unknown
            }
            if (!Arrays.equals(after, seen[0])) {
                seen[0] = after;
                rowsWhenSeen[0] = rows;
                return false;
            }
            if (rows >= atLeast && rows > rowsWhenSeen[0]) {
                kill.run();
                return true;
            }
            return false;
        });
    }

    /**
     * {@code _log} rows {@code log} of {@link #workload}'s {@code rows} rows: every change at least once (each insert and
     * both images of each update); a change written twice has one record_id, a record_id (and image) one content;
     * record_ids follow the binlog order. With {@code replayed}, some change was written twice.
     */
    public static void assertEachChangeWithOneRecordId(List<Record> log, int rows, boolean replayed) {
        Map<String, Set<Long>> idsByChange = new HashMap<>();
        Map<String, Set<String>> changesById = new HashMap<>();
        for (Record r : log) {
            String change = r.getString("new_dts_sync_operation_flag") + r.getString("new_dts_sync_before_flag")
                    + r.getString("new_dts_sync_after_flag") + " " + r.get("id") + " " + r.get("n");
            long id = r.getBigint("new_dts_sync_record_id");
            idsByChange.computeIfAbsent(change, k -> new HashSet<>()).add(id);
            changesById.computeIfAbsent(id + r.getString("new_dts_sync_after_flag"), k -> new HashSet<>()).add(change);
        }
        assertEquals(3 * rows, idsByChange.size(), "each insert and both images of each update, of " + log.size() + " rows");
        assertTrue(idsByChange.values().stream().allMatch(s -> s.size() == 1), "a change written twice has one record_id");
        assertTrue(changesById.values().stream().allMatch(s -> s.size() == 1), "a record_id has one content");
        if (replayed) {
            assertTrue(log.size() > 3 * rows, "the kill made the link write some changes again: " + log.size());
        }
        for (int i = 0; i < rows; i++) {
            long insert = idsByChange.get("INY " + i + " " + i).iterator().next();
            long update = idsByChange.get("UNY " + i + " " + (i + 100_000)).iterator().next();
            assertEquals(update, idsByChange.get("UYN " + i + " " + i).iterator().next());
            assertTrue(insert < update, "record_ids follow the binlog order");
        }
    }

    /** A SIGKILL of the runner of a link. */
    @FunctionalInterface
    public interface Kill {
        void run() throws Exception;
    }

    private static Map<String, String> props(int serverId) {
        Map<String, String> props = new HashMap<>(TestServers.mysqlDataSource("src", serverId));
        props.putAll(Map.of(
                "sluice.state.dir", "state",
                "sluice.api.token", TOKEN));
        props.putAll(Map.of(
                "sluice.maxcompute.mc.endpoint", TestServers.maxCompute().endpoint(),
                "sluice.maxcompute.mc.tunnel-endpoint", TestServers.maxCompute().tunnelEndpoint(),
                "sluice.maxcompute.mc.project", TestServers.MAXCOMPUTE_PROJECT,
                "sluice.maxcompute.mc.access-id", TestServers.MAXCOMPUTE_ACCESS_ID,
                "sluice.maxcompute.mc.access-key", TestServers.MAXCOMPUTE_ACCESS_KEY));
        return props;
    }

    /**
     * The link's route: MySQL data source {@code src}, database {@code db}, {@code sourceParameters} more lines of the
     * source's parameters, to MaxCompute data source {@code mc}.
     */
    public static String route(String link, String db, String sourceParameters) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s"
                      parameters:
                        dataSource: src
                        databases: %s%s
                      steps:
                        - to:
                            uri: "maxcompute:killed"
                            parameters:
                              dataSource: mc
                """.formatted(link, link, db, sourceParameters);
    }

    private static void awaitMergeEqualsSource(SluiceProcess sluice, String link, String db) {
        awaitMergeEqualsSource(sluice.baseUrl(), TOKEN, link, db, db.equals(DB) ? "seq" : "big");
    }

    /**
     * Waits until the merge SQL link {@code link} gives (asked of the instance at {@code baseUrl}), run over its
     * tables, equals the source table {@code db.table (id, n)}.
     */
    public static void awaitMergeEqualsSource(String baseUrl, String token, String link, String db, String table) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertEquals(MergeCheck.source(db, table, List.of("id", "n")), MergeCheck.merge(RestAssured.given()
                        .baseUri(baseUrl).header("Authorization", "Bearer " + token)
                        .get("/api/links/" + link + "/merge-sql?table=" + table + "&time="
                                + (Instant.now().getEpochSecond() + 3600))
                        .then().statusCode(200).extract().asString(), table)));
    }

    private static List<Record> log() throws Exception {
        return log("seq");
    }

    /** Every row of {@code <table>_log}, none before the table exists. */
    public static List<Record> log(String table) throws Exception {
        return McTables.exists(table + "_log") ? McTables.readAllPartitions(table + "_log") : List.of();
    }

    /** Into {@code table (id, n)}: {@code rows} rows (firstId + i, i), in statements of 1,000 rows. */
    public static void insertRows(String table, int firstId, int rows) {
        for (int from = 0; from < rows; from += 1000) {
            StringBuilder sb = new StringBuilder("INSERT INTO " + table + " VALUES ");
            for (int i = from; i < Math.min(from + 1000, rows); i++) {
                sb.append(i == from ? "" : ",").append("(").append(firstId + i).append(",").append(i).append(")");
            }
            TestServers.mariaDb().execute(sb.toString());
        }
    }

    /**
     * Into {@code db.table (id, n)}: inserts {@code rows} rows (id = n), then updates each row once (n + 100,000), in
     * transactions of several statements (5 inserts of 10 rows, 2 updates of 25 rows), so that batches (137 changes)
     * end inside transactions and the kill lands while batches are in flight.
     */
    public static void workload(String db, String table, int rows) {
        String t = db + "." + table;
        for (int from = 0; from < rows; from += 50) {
            StringBuilder sb = new StringBuilder("BEGIN;");
            for (int s = from; s < from + 50; s += 10) {
                sb.append("INSERT INTO " + t + " VALUES ");
                for (int i = s; i < s + 10; i++) {
                    sb.append(i == s ? "" : ",").append("(").append(i).append(",").append(i).append(")");
                }
                sb.append(";");
            }
            TestServers.mariaDb().execute(sb.append("COMMIT").toString());
            pause(20);
        }
        for (int from = 0; from < rows; from += 50) {
            TestServers.mariaDb().execute("BEGIN; UPDATE " + t + " SET n = n + 100000 WHERE id >= " + from
                    + " AND id < " + (from + 25) + "; UPDATE " + t + " SET n = n + 100000 WHERE id >= " + (from + 25)
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
