package io.sluice.maxcompute;

import com.aliyun.odps.data.Record;
import io.sluice.base.BatchId;
import io.sluice.base.LinkHaltException;
import io.sluice.binlog.DebeziumCapture;
import io.sluice.change.ChangeEvent;
import io.sluice.change.Operation;
import io.sluice.change.SourcePosition;
import io.sluice.devservices.maxcompute.LocalMaxCompute;
import io.sluice.testkit.TestServers;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code maxcompute} sink fed with real change events (Debezium's embedded engine, MariaDB connector, against the
 * test kit's MariaDB) in batches, as the binlog source sends them; {@code _base} and {@code _log} read back from the
 * local MaxCompute server with the SDK's download session.
 */
class MaxComputeSinkTest {

    private static final String DB = "mc_sink_test";
    private static final String SINK = "maxcompute:sinktest?dataSource=mc";
    private static DebeziumCapture capture;
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;
    /** The snapshot: two rows of mcsink_orders, one of mcsink_clash. */
    private static List<ChangeEvent> snapshot;
    /** The snapshot's DDL events (CREATE TABLE of every table among them). */
    private static final List<ChangeEvent> snapshotDdl = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        exec("DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB,
                "CREATE TABLE " + DB + ".mcsink_orders (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2),"
                        + " waited TIME)",
                "INSERT INTO " + DB + ".mcsink_orders VALUES (1, 'a', 1.50, '-01:02:03'), (2, 'b', 2.00, NULL)",
                "CREATE TABLE " + DB + ".mcsink_clash (id INT PRIMARY KEY, record_id BIGINT)",
                "INSERT INTO " + DB + ".mcsink_clash VALUES (1, 7)",
                "CREATE TABLE " + DB + ".mcsink_empty (id INT NOT NULL, `v w` VARCHAR(5) DEFAULT 'x,y', d DECIMAL(12,3),"
                        + " PRIMARY KEY (id), KEY k (`v w`))",
                "CREATE TABLE " + DB + ".mcsink_tx (id INT PRIMARY KEY, n INT)");
        capture = DebeziumCapture.start(DB, 5611);
        snapshot = rows(3);
        camel = new DefaultCamelContext();
        camel.addComponent("mcstate", new MaxComputeComponent().addDataSource("mc", McTables.target())
                .stateDirectory(java.nio.file.Files.createTempDirectory("mc-sink-state")));
        camel.addComponent("maxcompute", new MaxComputeComponent()
                .addDataSource("mc", McTables.target())
                .addDataSource("badkey", new MaxComputeTarget(TestServers.MAXCOMPUTE_PROJECT,
                        TestServers.MAXCOMPUTE_ACCESS_ID, "wrong-secret-123", TestServers.maxCompute().endpoint(),
                        TestServers.maxCompute().tunnelEndpoint())));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (capture != null) {
            capture.close();
        }
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void snapshotToBaseChangesToLogAddColumnAndReplay() throws Exception {
        List<ChangeEvent> orders = snapshot.stream().filter(e -> e.table().equals("mcsink_orders")).toList();
        assertTrue(orders.stream().allMatch(e -> e.position().snapshot()));
        template.sendBody(SINK, orders);
        assertEquals(List.of("1 a 1.5 -01:02:03", "2 b 2 null"), base(false));
        assertEquals(List.of(), log(false));

        // changes, one transaction with two statements among them
        exec("INSERT INTO " + DB + ".mcsink_orders VALUES (3, 'c', 3.00, '00:00:01')",
                "UPDATE " + DB + ".mcsink_orders SET name = 'a2' WHERE id = 1",
                "DELETE FROM " + DB + ".mcsink_orders WHERE id = 2");
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO " + DB + ".mcsink_orders (id, name) VALUES (4, 'd')");
            st.execute("UPDATE " + DB + ".mcsink_orders SET amount = 4.25 WHERE id = 4");
            c.commit();
        }
        List<ChangeEvent> changes = rows(5);
        assertFalse(changes.get(0).position().snapshot());
        // Debezium gives the two rows of the last transaction the same position and row index
        assertEquals(changes.get(3).position().position(), changes.get(4).position().position());
        assertEquals(changes.get(3).position().rowInEvent(), changes.get(4).position().rowInEvent());
        template.sendBody(SINK, changes);
        List<String> log = log(false);
        assertEquals(List.of(
                "I NY 3 c 3 00:00:01",
                "U YN 1 a 1.5 -01:02:03",
                "U NY 1 a2 1.5 -01:02:03",
                "D YN 2 b 2 null",
                "I NY 4 d null null",
                "U YN 4 d null null",
                "U NY 4 d 4.25 null"), log.stream().map(MaxComputeSinkTest::withoutIdAndTime).toList());
        List<Long> ids = recordIds();
        assertEquals(ids.get(1), ids.get(2), "both rows of an UPDATE share the record_id");
        assertEquals(ids.get(5), ids.get(6));
        assertTrue(ids.get(0) < ids.get(1) && ids.get(2) < ids.get(3) && ids.get(3) < ids.get(4)
                && ids.get(4) < ids.get(5), "record_ids grow strictly in binlog order: " + ids);
        assertEquals(changes.get(0).position().eventTimeMs() / 1000,
                McTables.readAllPartitions("mcsink_orders_log").get(0).getBigint("new_dts_sync_utc_timestamp"));

        // the same batch again (the source retries after a failure): the same record_ids, nothing else
        template.sendBody(SINK, changes);
        List<String> replayed = log(false);
        assertEquals(log.size() * 2, replayed.size());
        List<String> twice = new ArrayList<>(log);
        twice.addAll(log);
        twice.sort(null);
        List<String> sortedReplayed = new ArrayList<>(replayed);
        sortedReplayed.sort(null);
        assertEquals(twice, sortedReplayed);

        // ADD COLUMN mid-stream, then rows that carry it; a DDL the sink does not apply is skipped
        exec("ALTER TABLE " + DB + ".mcsink_orders COMMENT 'not applied'",
                "ALTER TABLE " + DB + ".mcsink_orders ADD COLUMN note VARCHAR(10) AFTER name",
                "INSERT INTO " + DB + ".mcsink_orders (id, name, note) VALUES (5, 'e', 'new')",
                "UPDATE " + DB + ".mcsink_orders SET note = 'n3' WHERE id = 3");
        List<ChangeEvent> withColumn = events(2, 2);
        assertTrue(withColumn.get(0).isDdl() && withColumn.get(1).isDdl(), withColumn.toString());
        template.sendBody(SINK, withColumn);
        List<String> after = log(true);
        assertEquals(List.of("I NY 5 e new null null", "U YN 3 c null 3 00:00:01", "U NY 3 c n3 3 00:00:01"),
                after.subList(after.size() - 3, after.size()).stream().map(MaxComputeSinkTest::withoutIdAndTime)
                        .toList());
        assertEquals(List.of("1 a null 1.5 -01:02:03", "2 b null 2 null"), base(true), "_base got the column too");

        // a restarted link that lost its state (a new sink; ignore) writes into the existing tables in their column order: note is last in
        // MaxCompute, after name in MariaDB
        exec("UPDATE " + DB + ".mcsink_orders SET amount = 9 WHERE id = 5");
        template.sendBody("maxcompute:restarted?dataSource=mc&conflictingTables=ignore", rows(1));
        List<String> restarted = log(true);
        assertEquals(List.of("U YN 5 e new null null", "U NY 5 e new 9 null"),
                restarted.subList(restarted.size() - 2, restarted.size()).stream()
                        .map(MaxComputeSinkTest::withoutIdAndTime).toList());

        // restarted after a DROP COLUMN in the middle: the column stays in MaxCompute and is written as NULL
        exec("ALTER TABLE " + DB + ".mcsink_orders DROP COLUMN amount",
                "UPDATE " + DB + ".mcsink_orders SET name = 'e2' WHERE id = 5");
        template.sendBody("maxcompute:restarted2?dataSource=mc&conflictingTables=ignore", events(1, 1));
        List<String> dropped = log(true);
        assertEquals("U NY 5 e2 new null null", withoutIdAndTime(dropped.get(dropped.size() - 1)));
        assertEquals("U YN 5 e new null null", withoutIdAndTime(dropped.get(dropped.size() - 2)));

        String merge = camel.getEndpoint(SINK, MaxComputeEndpoint.class).mergeSql("sinktest", "mcsink_orders", "orders_at_t",
                1_700_000_000L);
        assertTrue(merge.contains("from `mcsink_orders_log` incr") && merge.contains("partition by t.`id`")
                && merge.contains("`note`") && merge.contains("`amount`"), merge);
    }

    @Test
    void aRestartInTheMiddleOfATransactionWritesTheSameRecordIds() throws Exception {
        // one transaction: an INSERT of 3 rows, an UPDATE of 2, a DELETE of 1 (three rows events)
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO " + DB + ".mcsink_tx VALUES (1, 1), (2, 2), (3, 3)");
            st.execute("UPDATE " + DB + ".mcsink_tx SET n = n + 10 WHERE id <= 2");
            st.execute("DELETE FROM " + DB + ".mcsink_tx WHERE id = 3");
            c.commit();
        }
        List<ChangeEvent> tx = rows(6);
        SourcePosition p0 = tx.get(0).position();
        assertTrue(tx.stream().allMatch(e -> e.position().position() == p0.position()), "one group position");
        long group = RecordIds.of(p0.binlogFile(), p0.position(), 0);
        // the link writes two batches (the first ends inside the UPDATE's rows event), then is killed: Debezium
        // stored the first batch's end, or nothing of this transaction, and replays from there after the restart
        String run = "mcstate:txrun?dataSource=mc&partitionLevels=none";
        template.sendBody(run, tx.subList(0, 4));
        template.sendBody(run, tx.subList(4, 6));
        template.sendBody(run + "&blockRows=9999", tx.subList(4, 6)); // restarted (a new sink of link txrun)
        template.sendBody(run + "&blockRows=9998", tx); // and once more from the transaction's start
        List<Record> log = McTables.read("mcsink_tx_log", null);
        assertEquals(5 + 3 + 3 + 8, log.size());
        java.util.Map<String, java.util.Set<Long>> idsByChange = new java.util.TreeMap<>();
        for (Record r : log) {
            idsByChange.computeIfAbsent(r.getString("new_dts_sync_operation_flag") + r.getString("new_dts_sync_after_flag")
                    + " " + r.get("id") + " " + r.get("n"), k -> new java.util.TreeSet<>())
                    .add(r.getBigint("new_dts_sync_record_id"));
        }
        assertEquals(java.util.Map.of(
                "IY 1 1", java.util.Set.of(group), "IY 2 2", java.util.Set.of(group + 1),
                "IY 3 3", java.util.Set.of(group + 2),
                "UN 1 1", java.util.Set.of(group + 3), "UY 1 11", java.util.Set.of(group + 3),
                "UN 2 2", java.util.Set.of(group + 4), "UY 2 12", java.util.Set.of(group + 4),
                "DN 3 3", java.util.Set.of(group + 5)), idsByChange);
    }

    @Test
    void wrongAccessKeyHaltsNamingTheDataSourceWithoutTheSecret() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("maxcompute:badkey?dataSource=badkey", snapshot));
        LinkHaltException halt = assertInstanceOf(LinkHaltException.class, e.getCause());
        assertTrue(halt.getMessage().contains("MaxCompute data source 'badkey'"), halt.getMessage());
        assertTrue(halt.getMessage().contains("sluice.maxcompute.badkey.access-id / .access-key"), halt.getMessage());
        assertFalse(halt.getMessage().contains("wrong-secret-123"), halt.getMessage());
    }

    @Test
    void sourceColumnClashingWithAdditionalColumnsHaltsWithTheFix() {
        List<ChangeEvent> clash = snapshot.stream().filter(e -> e.table().equals("mcsink_clash")).toList();
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("maxcompute:clash?dataSource=mc&namingRule=previous", clash));
        LinkHaltException halt = assertInstanceOf(LinkHaltException.class, e.getCause());
        assertTrue(halt.getMessage().contains("[record_id]") && halt.getMessage().contains("namingRule=new"),
                halt.getMessage());
        template.sendBody("maxcompute:clash2?dataSource=mc&namingRule=new&partitionLevels=none", clash);
    }

    @Test
    void failedFlushIsRetryableAndItsReplayWritesTheSameRecordIds() throws Exception {
        // (an unreachable server fails the same way, after the SDK's own connect retries, about 40 s: not run here)
        // two rows of one transaction (same group position, as Debezium gives them), the commit of _log fails once
        ChangeEvent model = snapshot.stream().filter(e -> e.table().equals("mcsink_clash")).findFirst().orElseThrow();
        List<ChangeEvent> batch = List.of(change(model, 1L, 2), change(model, 2L, 4));
        String sink = "maxcompute:retry?dataSource=mc&partitionLevels=none&maxAttempts=1&retryBackoffMs=0";
        TestServers.maxCompute().failNextCommits("mcsink_retry_log", 1, LocalMaxCompute.CommitFault.EXPIRE_SESSION);
        CamelExecutionException failed = assertThrows(CamelExecutionException.class, () -> template.sendBody(sink, batch));
        assertFalse(failed.getCause() instanceof LinkHaltException, "a failed commit is retryable: " + failed.getCause());
        assertEquals(List.of(), McTables.read("mcsink_retry_log", null));

        template.sendBody(sink, batch); // the source retries the batch
        long first = RecordIds.of("mariadb-bin.000002", 1000, 0);
        assertEquals(List.of(first + " 1", (first + 1) + " 2"), McTables.read("mcsink_retry_log", null).stream()
                .map(r -> r.getBigint("new_dts_sync_record_id") + " " + r.get("id")).sorted().toList());
    }

    @Test
    void valueThatDoesNotFitHaltsNamingTableAndColumn() {
        ChangeEvent model = snapshot.stream().filter(e -> e.table().equals("mcsink_clash")).findFirst().orElseThrow();
        ChangeEvent dirty = new ChangeEvent(DB, "mcsink_dirty", Operation.INSERT, model.columns(), null,
                java.util.Map.of("id", 1L, "record_id", Long.MIN_VALUE), null,
                new SourcePosition("mariadb-bin.000002", 2000, 0, null, 223344, null, 1_700_000_000_000L, false));
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("maxcompute:dirty?dataSource=mc", List.of(dirty)));
        LinkHaltException halt = assertInstanceOf(LinkHaltException.class, e.getCause());
        assertTrue(halt.getMessage().contains("mcsink_dirty") && halt.getMessage().contains("record_id")
                && halt.getMessage().contains("mariadb-bin.000002:2000"), halt.getMessage());
    }

    @Test
    void aBatchSentBehindAFailedOneIsWrittenOnlyAfterItComesAgain() throws Exception {
        // the sink writes on a thread of its own while the source sends on: batch b is sent after batch a, whose commit
        // failed before the source saw it; b continues a's transaction (its record_id counts on from a's rows), so it
        // must not be written before a comes again
        ChangeEvent model = snapshot.stream().filter(e -> e.table().equals("mcsink_clash")).findFirst().orElseThrow();
        List<ChangeEvent> a = List.of(change("mcsink_gate", model, 1L, 2), change("mcsink_gate", model, 2L, 4));
        List<ChangeEvent> b = List.of(change("mcsink_gate", model, 3L, 6));
        BatchId.Run run = new BatchId.Run();
        BatchId idA = run.next();
        BatchId idB = run.next();
        String sink = "maxcompute:gate?dataSource=mc&partitionLevels=none&maxAttempts=1&retryBackoffMs=0";
        AsyncProducer producer = camel.getEndpoint(sink).createAsyncProducer();
        producer.start();
        try {
            TestServers.maxCompute().failNextCommits("mcsink_gate_log", 1, LocalMaxCompute.CommitFault.EXPIRE_SESSION);
            assertNotNull(send(producer, a, idA).get(60, TimeUnit.SECONDS), "a's commit fails");
            Exception refused = send(producer, b, idB).get(60, TimeUnit.SECONDS);
            assertNotNull(refused, "b is not written before a");
            assertTrue(refused.getMessage().contains("a batch before it failed"), refused.getMessage());
            assertEquals(List.of(), McTables.read("mcsink_gate_log", null));

            assertNull(send(producer, a, idA).get(60, TimeUnit.SECONDS)); // the source hands a again, then b
            assertNull(send(producer, b, idB).get(60, TimeUnit.SECONDS));
            long first = RecordIds.of("mariadb-bin.000002", 1000, 0);
            assertEquals(List.of(first + " 1", (first + 1) + " 2", (first + 2) + " 3"),
                    McTables.read("mcsink_gate_log", null).stream()
                            .map(r -> r.getBigint("new_dts_sync_record_id") + " " + r.get("id")).sorted().toList());
        } finally {
            producer.stop();
        }
    }

    /** Sends {@code batch} as batch {@code id} without waiting: the future completes with the exchange's failure or null. */
    private static CompletableFuture<Exception> send(AsyncProducer producer, List<ChangeEvent> batch, BatchId id) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(batch);
        exchange.setProperty(BatchId.PROPERTY, id);
        CompletableFuture<Exception> done = new CompletableFuture<>();
        producer.process(exchange, doneSync -> done.complete(exchange.getException()));
        return done;
    }

    private static ChangeEvent change(ChangeEvent model, long id, long eventInGroup) {
        return change("mcsink_retry", model, id, eventInGroup);
    }

    private static ChangeEvent change(String table, ChangeEvent model, long id, long eventInGroup) {
        return new ChangeEvent(DB, table, Operation.INSERT, model.columns(), null,
                java.util.Map.of("id", id, "record_id", 5L), null,
                new SourcePosition("mariadb-bin.000002", 1000, 0, null, 223344, null, 1_700_000_000_000L, false,
                        eventInGroup));
    }

    @Test
    void snapshotCreateTableCreatesTheTablesOfATableWithoutRows() throws Exception {
        List<ChangeEvent> ddl = snapshotDdl.stream().filter(e -> "mcsink_empty".equals(e.table())).toList();
        assertFalse(ddl.isEmpty(), snapshotDdl.toString());
        template.sendBody("maxcompute:empty?dataSource=mc", ddl);
        var odps = McTables.target().odps();
        assertEquals(List.of("id", "v w", "d"), odps.tables().get("mcsink_empty_base").getSchema().getColumns().stream()
                .map(com.aliyun.odps.Column::getName).toList());
        assertEquals("DECIMAL(12,3)", odps.tables().get("mcsink_empty_log").getSchema().getColumn("d").getTypeInfo()
                .getTypeName());
        assertEquals(List.of(), McTables.read("mcsink_empty_base", null));
        assertTrue(camel.getEndpoint("maxcompute:empty?dataSource=mc", MaxComputeEndpoint.class)
                .mergeSql("empty", "mcsink_empty", null, 1L).contains("partition by t.`id`"));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** The next {@code n} row events of the test database (DDL events dropped). */
    private static List<ChangeEvent> rows(int n) throws Exception {
        return events(n, 0);
    }

    /** The next {@code rows} row events of the test database with the next {@code ddls} non-snapshot DDL events. */
    private static List<ChangeEvent> events(int rows, int ddls) throws Exception {
        return capture.events(DB, rows, ddls, snapshotDdl);
    }

    private static List<String> base(boolean withNote) throws Exception {
        List<String> out = new ArrayList<>();
        for (Record r : McTables.read("mcsink_orders_base", null)) {
            out.add(r.get("id") + " " + r.get("name") + (withNote ? " " + r.get("note") : "") + " "
                    + strip(r.get("amount")) + " " + r.getString("waited"));
        }
        out.sort(null);
        return out;
    }

    /** _log rows as "record_id utc op flags id name [note] amount waited", ordered by record_id and after_flag. */
    private static List<String> log(boolean withNote) throws Exception {
        List<Record> records = new ArrayList<>(McTables.readAllPartitions("mcsink_orders_log"));
        records.sort(Comparator.comparing((Record r) -> r.getBigint("new_dts_sync_record_id"))
                .thenComparing(r -> r.getString("new_dts_sync_after_flag")));
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            out.add(r.getBigint("new_dts_sync_record_id") + " " + r.getBigint("new_dts_sync_utc_timestamp") + " "
                    + r.getString("new_dts_sync_operation_flag") + " " + r.getString("new_dts_sync_before_flag")
                    + r.getString("new_dts_sync_after_flag") + " " + r.get("id") + " " + r.get("name")
                    + (withNote ? " " + r.get("note") : "") + " " + strip(r.get("amount")) + " " + r.getString("waited"));
        }
        return out;
    }

    private static List<Long> recordIds() throws Exception {
        return log(false).stream().map(s -> Long.parseLong(s.substring(0, s.indexOf(' ')))).toList();
    }

    private static String withoutIdAndTime(String logRow) {
        String[] parts = logRow.split(" ", 3);
        return parts[2];
    }

    private static String strip(Object decimal) {
        return decimal == null ? "null" : new java.math.BigDecimal(decimal.toString()).stripTrailingZeros().toPlainString();
    }

    private static void exec(String... sql) throws Exception {
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
