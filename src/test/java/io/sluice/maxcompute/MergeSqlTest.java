package io.sluice.maxcompute;

import com.aliyun.odps.data.Record;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 003's merge, executed for real: the _base and _log rows written to the local MaxCompute server are read back
 * with the SDK, loaded into MariaDB tables of the same names and columns, and the SELECT that {@link MergeSql}
 * generates (the part MaxCompute's {@code insert overwrite} wraps; the same text runs on MariaDB 11.4, which has
 * window functions) must give the full source table at time T.
 */
class MergeSqlTest {

    static final List<SourceColumn> COLUMNS = List.of(new SourceColumn("id", "bigint(20)"),
            new SourceColumn("name", "varchar(20)"));
    static TableLayout layout;

    @BeforeAll
    static void writeBaseAndLog() throws Exception {
        layout = new TableLayout("merged", COLUMNS, NamingRule.PREVIOUS, List.of(PartitionLevel.YEAR));
        ChangeTableWriter w = new ChangeTableWriter(McTables.target(), layout, WriterOptions.defaults());
        w.createTables();
        w.addBase(new Object[] {1L, "a"});
        w.addBase(new Object[] {2L, "b"});
        w.addBase(new Object[] {3L, "c"});
        w.addBase(new Object[] {5L, "pk"});
        w.addChange(ChangeRow.update(id(100), at(100), new Object[] {1L, "a"}, new Object[] {1L, "a2"}));
        w.addChange(ChangeRow.delete(id(200), at(200), new Object[] {2L, "b"}));
        w.addChange(ChangeRow.insert(id(300), at(300), new Object[] {4L, "d"}));
        w.addChange(ChangeRow.update(id(400), at(400), new Object[] {1L, "a2"}, new Object[] {1L, "a3"}));
        w.addChange(ChangeRow.update(id(500), at(500), new Object[] {5L, "pk"}, new Object[] {6L, "pk"})); // key change
        w.addChange(ChangeRow.update(id(600), at(600), new Object[] {3L, "c"}, new Object[] {3L, "c2"}));
        w.addChange(ChangeRow.delete(id(600) + 1, at(600), new Object[] {4L, "d"}));
        w.addChange(ChangeRow.insert(id(700), at(700), new Object[] {2L, "b-again"}));
        w.flush();

        TestServers.mariaDb().execute("CREATE DATABASE IF NOT EXISTS mc_merge;"
                + "CREATE OR REPLACE TABLE mc_merge.merged_base (id BIGINT, name VARCHAR(20));"
                + "CREATE OR REPLACE TABLE mc_merge.merged_log (record_id BIGINT, operation_flag VARCHAR(1), "
                + "`utc_timestamp` BIGINT, before_flag VARCHAR(1), after_flag VARCHAR(1), id BIGINT, name VARCHAR(20));");
        try (Connection c = TestServers.mariaDb().adminConnection()) {
            c.setCatalog("mc_merge");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO merged_base VALUES (?, ?)")) {
                for (Record r : McTables.read("merged_base", null)) {
                    ps.setLong(1, r.getBigint("id"));
                    ps.setString(2, r.get("name").toString());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO merged_log VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Record r : McTables.readAllPartitions("merged_log")) {
                    ps.setLong(1, r.getBigint("record_id"));
                    ps.setString(2, r.getString("operation_flag"));
                    ps.setLong(3, r.getBigint("utc_timestamp"));
                    ps.setString(4, r.getString("before_flag"));
                    ps.setString(5, r.getString("after_flag"));
                    ps.setLong(6, r.getBigint("id"));
                    ps.setString(7, r.get("name").toString());
                    ps.executeUpdate();
                }
            }
        }
    }

    static long id(long position) {
        return RecordIds.of(1, position, 0);
    }

    static Instant at(long second) {
        return Instant.ofEpochSecond(1_700_000_000L + second);
    }

    static List<String> mergeAt(long second) throws Exception {
        String sql = MergeSql.select(layout, List.of("id"), at(second).getEpochSecond()) + " order by id";
        List<String> rows = new ArrayList<>();
        try (Connection c = TestServers.mariaDb().adminConnection()) {
            c.setCatalog("mc_merge");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(rs.getLong("id") + "=" + rs.getString("name"));
                }
            }
        }
        return rows;
    }

    @Test
    void theMergeGivesTheFullTableAtT() throws Exception {
        assertEquals(List.of("1=a", "2=b", "3=c", "5=pk"), mergeAt(50)); // before any change: the baseline
        assertEquals(List.of("1=a2", "3=c", "5=pk"), mergeAt(250));
        assertEquals(List.of("1=a2", "3=c", "4=d", "5=pk"), mergeAt(400)); // utc_timestamp < T: the change at 400 not yet
        assertEquals(List.of("1=a3", "3=c", "4=d", "6=pk"), mergeAt(550));
        assertEquals(List.of("1=a3", "2=b-again", "3=c2", "6=pk"), mergeAt(10_000));
    }

    @Test
    void theMaxComputeScriptWrapsTheSameSelect() {
        String script = MergeSql.mergeSql(layout, List.of("id"), "merged_1565944878", 1565944878L);
        assertTrue(script.startsWith("set odps.sql.allow.fullscan=true;\ninsert overwrite table `merged_1565944878`\n"),
                script);
        assertTrue(script.contains(MergeSql.select(layout, List.of("id"), 1565944878L)));
        assertTrue(script.contains("row_number() over (partition by t.`id`"), script);
        assertTrue(script.contains("where incr.`utc_timestamp` < 1565944878"), script);

        TableLayout renamed = new TableLayout("merged", COLUMNS, NamingRule.NEW, List.of());
        String newRule = MergeSql.select(renamed, List.of("id"), 1L);
        assertTrue(newRule.contains("order by `new_dts_sync_record_id` desc, `new_dts_sync_after_flag` desc"), newRule);
    }
}
