package io.sluice.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import io.sluice.devservices.maxcompute.LocalMaxCompute;
import io.sluice.devservices.maxcompute.LocalMaxCompute.CommitFault;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batched _base/_log writer against the local MaxCompute server, read back with the real SDK. */
class ChangeTableWriterTest {

    static final List<SourceColumn> COLUMNS = List.of(new SourceColumn("id", "bigint(20)"),
            new SourceColumn("name", "varchar(20)"));
    static final Instant T1 = Instant.parse("2024-04-09T13:10:05Z");
    static final Instant T2 = Instant.parse("2024-04-09T14:00:00Z");

    static ChangeTableWriter writer(String table, WriterOptions options) {
        ChangeTableWriter w = new ChangeTableWriter(McTables.target(),
                new TableLayout(table, COLUMNS, NamingRule.PREVIOUS, List.of(PartitionLevel.YEAR, PartitionLevel.MONTH,
                        PartitionLevel.DAY, PartitionLevel.HOUR)), options);
        w.createTables();
        return w;
    }

    static List<String> logRows(String table) throws Exception {
        List<String> out = new ArrayList<>();
        for (Record r : McTables.readAllPartitions(table + "_log")) {
            out.add(r.getBigint("record_id") + " " + r.getString("operation_flag") + " " + r.getBigint("utc_timestamp")
                    + " " + r.getString("before_flag") + r.getString("after_flag") + " " + r.getBigint("id") + " "
                    + r.get("name"));
        }
        return out;
    }

    @Test
    void changesBecomeDtsLogRowsInTimePartitions() throws Exception {
        ChangeTableWriter w = writer("orders", WriterOptions.defaults());
        long id1 = RecordIds.of("mysql-bin.000003", 4, 0);
        long id2 = RecordIds.of("mysql-bin.000003", 300, 0);
        long id3 = RecordIds.of("mysql-bin.000003", 300, 1);
        long id4 = RecordIds.of("mysql-bin.000004", 4, 0);
        w.addChange(ChangeRow.insert(id1, T1, new Object[] {1L, "a"}));
        w.addChange(ChangeRow.update(id2, T1, new Object[] {1L, "a"}, new Object[] {1L, "b"}));
        w.addChange(ChangeRow.insert(id3, T1, new Object[] {2L, "c"}));
        w.addChange(ChangeRow.delete(id4, T2, new Object[] {2L, "c"}));
        assertEquals(5, w.bufferedRows());
        w.flush();
        assertEquals(0, w.bufferedRows());

        var table = McTables.target().odps().tables().get("orders_log");
        assertTrue(table.hasPartition(new PartitionSpec(
                "modifytime_year='2024',modifytime_month='04',modifytime_day='09',modifytime_hour='13'")));
        assertTrue(table.hasPartition(new PartitionSpec(
                "modifytime_year='2024',modifytime_month='04',modifytime_day='09',modifytime_hour='14'")));
        assertEquals(2, table.getPartitions().size());

        long s1 = T1.getEpochSecond();
        long s2 = T2.getEpochSecond();
        assertEquals(List.of(
                id1 + " I " + s1 + " NY 1 a",
                id2 + " U " + s1 + " YN 1 a",
                id2 + " U " + s1 + " NY 1 b",
                id3 + " I " + s1 + " NY 2 c",
                id4 + " D " + s2 + " YN 2 c"), logRows("orders"));
        assertTrue(id1 < id2 && id2 < id3 && id3 < id4);
    }

    @Test
    void bufferFlushesBySizeAndTime() {
        AtomicLong now = new AtomicLong(1_000);
        ChangeTableWriter w = new ChangeTableWriter(McTables.target(),
                new TableLayout("buffered", COLUMNS, NamingRule.NEW, List.of(PartitionLevel.DAY)),
                WriterOptions.defaults().withMaxBufferedRows(3).withMaxBufferMillis(500), now::get);
        w.createTables();
        assertFalse(w.flushDue());
        w.addBase(new Object[] {1L, "x"});
        assertFalse(w.flushDue());
        now.addAndGet(499);
        assertFalse(w.flushIfDue());
        now.addAndGet(1);
        assertTrue(w.flushIfDue()); // time
        w.addBase(new Object[] {2L, "y"});
        w.addChange(ChangeRow.update(RecordIds.of(1, 4, 0), T1, new Object[] {2L, "y"}, new Object[] {2L, "z"}));
        assertTrue(w.flushDue()); // size: 1 base row + 2 log rows
        w.flush();
        assertEquals(2, TestServers.maxCompute().rows(TestServers.MAXCOMPUTE_PROJECT, "buffered_base", null).size());
    }

    @Test
    void aFailedCommitIsRetriedWithoutLossOrDuplicates() throws Exception {
        LocalMaxCompute server = TestServers.maxCompute();
        ChangeTableWriter w = writer("retried", WriterOptions.defaults().withBlockRows(2).withRetry(4, 10));
        int rows = 0;
        for (CommitFault fault : CommitFault.values()) {
            long before = server.commitRequests();
            server.failNextCommits(1, fault);
            for (int i = 0; i < 5; i++, rows++) {
                w.addBase(new Object[] {(long) rows, "f" + fault.ordinal()});
            }
            w.flush(); // returns only once committed
            assertTrue(server.commitRequests() - before >= 2, fault + ": the commit was retried");
            List<Record> base = McTables.read("retried_base", null);
            assertEquals(rows, base.size(), fault + ": every row once");
            for (int i = 0; i < rows; i++) {
                assertEquals((long) i, base.get(i).getBigint("id"), fault + ": row " + i);
            }
        }
        // a change batch whose commit fails likewise
        server.failNextCommits(1, CommitFault.EXPIRE_SESSION);
        w.addChange(ChangeRow.insert(RecordIds.of(7, 100, 0), T1, new Object[] {100L, "log"}));
        w.flush();
        assertEquals(1, logRows("retried").size());
    }

    @Test
    void aCommitThatKeepsFailingThrowsAndKeepsTheRowsForTheNextFlush() throws Exception {
        LocalMaxCompute server = TestServers.maxCompute();
        ChangeTableWriter w = writer("failing", WriterOptions.defaults().withRetry(2, 1));
        w.addBase(new Object[] {1L, "kept"});
        w.addChange(ChangeRow.insert(RecordIds.of(1, 4, 0), T1, new Object[] {1L, "kept"}));
        server.failNextCommits("failing_base", 1, CommitFault.EXPIRE_SESSION); // base commits after one retry
        server.failNextCommits("failing_log", 2, CommitFault.EXPIRE_SESSION); // the log unit fails both attempts
        MaxComputeException e = assertThrows(MaxComputeException.class, w::flush);
        assertTrue(e.getMessage().contains("failing_log"), e.getMessage());
        assertEquals(1, w.bufferedRows()); // the base row went out; the change waits
        w.flush();
        assertEquals(1, McTables.read("failing_base", null).size());
        assertEquals(1, logRows("failing").size());
    }

    @Test
    void addColumnAppliesToBothTablesAndLaterRowsCarryIt() throws Exception {
        ChangeTableWriter w = writer("widened", WriterOptions.defaults());
        w.addBase(new Object[] {1L, "before"});
        w.addChange(ChangeRow.insert(RecordIds.of(2, 4, 0), T1, new Object[] {2L, "before"}));
        w.addColumn(new SourceColumn("price", "decimal(10,2)")); // flushes the rows read under the old schema
        w.addColumn(new SourceColumn("price", "decimal(10,2)")); // replayed after a restart: harmless
        w.addBase(new Object[] {3L, "after", new java.math.BigDecimal("9.99")});
        w.addChange(ChangeRow.update(RecordIds.of(2, 90, 0), T1, new Object[] {2L, "before", null},
                new Object[] {2L, "after", new java.math.BigDecimal("1.50")}));
        w.flush();

        for (String t : List.of("widened_base", "widened_log")) {
            assertEquals("DECIMAL(10,2)", McTables.target().odps().tables().get(t).getSchema().getColumn("price")
                    .getTypeInfo().getTypeName());
        }
        List<Record> base = McTables.read("widened_base", null);
        assertNull(base.get(0).get("price"));
        assertEquals(new java.math.BigDecimal("9.99"), base.get(1).get("price"));
        List<Record> log = McTables.readAllPartitions("widened_log");
        assertEquals(3, log.size());
        assertEquals(new java.math.BigDecimal("1.50"), log.get(2).get("price"));
    }

    @Test
    void aTooLongVarcharIsRefusedWhenAdded() {
        ChangeTableWriter w = writer("too_long", WriterOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.addBase(new Object[] {1L, "x".repeat(21)}));
        assertTrue(e.getMessage().contains("name") && e.getMessage().contains("VARCHAR(20)"), e.getMessage());
        assertEquals(0, w.bufferedRows());
    }

    @Test
    void recordIdsFollowTheBinlogOrderAndFitABigint() {
        assertEquals((3L << 32) + 4, RecordIds.of("mysql-bin.000003", 4, 0));
        assertEquals(RecordIds.of(3, 4, 0), RecordIds.of("mariadb-bin.000003", 4, 0));
        assertTrue(RecordIds.of(3, 4_294_967_000L, 200) < RecordIds.of(4, 4, 0));
        assertTrue(RecordIds.of(3, 100, 5) < RecordIds.of(3, 106, 0)); // an event at 100 with 6+ bytes of rows
        assertEquals(Long.MAX_VALUE, RecordIds.of((1L << 31) - 1, (1L << 32) - 1, 0));
        assertThrows(IllegalArgumentException.class, () -> RecordIds.of(1L << 31, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> RecordIds.of(1, 1L << 32, 0));
        assertThrows(IllegalArgumentException.class, () -> RecordIds.of(1, (1L << 32) - 1, 1));
        assertThrows(IllegalArgumentException.class, () -> RecordIds.of("binlog", 4, 0));
    }
}
