package io.sluice.maxcompute;

import com.aliyun.odps.task.SQLTask;
import io.sluice.base.LinkHaltException;
import io.sluice.binlog.DebeziumCapture;
import io.sluice.change.ChangeEvent;
import io.sluice.testkit.TestServers;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RENAME / CHANGE / MODIFY / DROP COLUMN on the source while the link streams (real change events from the test kit's
 * MariaDB): a rename is applied to both tables with the data kept, a type change that keeps the MaxCompute type is
 * nothing to do, one that does not halts the link with the fix, a dropped column stays (NULL from then on), and
 * adding it again halts the link with the fix; each replays harmlessly after a restart. Every batch goes to a new
 * sink of the same link (link cdl, its state in a directory), as after a restart.
 */
class ColumnDdlTest {

    private static final String DB = "mc_column_ddl";
    private static int starts;
    private static DebeziumCapture capture;
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;
    private static final List<ChangeEvent> snapshotDdl = new ArrayList<>();
    private static List<ChangeEvent> snapshot;

    @BeforeAll
    static void start() throws Exception {
        TestServers.mariaDb().execute("DROP DATABASE IF EXISTS " + DB + "; CREATE DATABASE " + DB + "; "
                + "CREATE TABLE " + DB + ".cd_rename (id INT PRIMARY KEY, name VARCHAR(20), n INT); "
                + "INSERT INTO " + DB + ".cd_rename VALUES (1, 'a', 1); "
                + "CREATE TABLE " + DB + ".cd_modify (id INT PRIMARY KEY, n INT, v VARCHAR(20)); "
                + "INSERT INTO " + DB + ".cd_modify VALUES (1, 1, 'a'); "
                + "CREATE TABLE " + DB + ".cd_drop (id INT PRIMARY KEY, note VARCHAR(10), n INT); "
                + "INSERT INTO " + DB + ".cd_drop VALUES (1, 'old', 1)");
        capture = DebeziumCapture.start(DB, 5631);
        snapshot = capture.events(DB, 3, 0, snapshotDdl);
        camel = new DefaultCamelContext();
        camel.addComponent("maxcompute", new MaxComputeComponent().addDataSource("mc", McTables.target())
                .stateDirectory(Files.createTempDirectory("mc-column-ddl-state")));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        capture.close();
        camel.stop();
    }

    @Test
    void renameAndChangeWithANewNameRenameTheColumnInBothTablesKeepingItsData() throws Exception {
        loadThenRun("cd_rename", "ALTER TABLE %s RENAME COLUMN name TO title", "INSERT INTO %s VALUES (2, 't2', 2)",
                "ALTER TABLE %s CHANGE COLUMN title label VARCHAR(20) NOT NULL", "UPDATE %s SET label = 'a1' WHERE id = 1");
        List<ChangeEvent> changes = capture.events(DB, 2, 2, snapshotDdl);
        send(changes);
        assertEquals(List.of("id", "label", "n"), columns("cd_rename_base"));
        assertEquals(List.of("1 a 1"), rows("cd_rename_base", "label"));
        assertEquals(List.of("1 a 1", "1 a1 1", "2 t2 2"), rows("cd_rename_log", "label"));
        send(changes); // replayed by the restarted link: renamed already
        assertEquals(List.of("id", "label", "n"), columns("cd_rename_log").subList(5, 8));
        assertEquals(List.of("1 a 1", "1 a 1", "1 a1 1", "1 a1 1", "2 t2 2", "2 t2 2"), rows("cd_rename_log", "label"),
                "the replayed rows, which carry the name title, are written under label");
    }

    @Test
    void aTypeChangeKeepingTheMaxComputeTypePassesOneChangingItHaltsWithTheFix() throws Exception {
        loadThenRun("cd_modify", "ALTER TABLE %s MODIFY v VARCHAR(20) NOT NULL DEFAULT ''",
                "INSERT INTO %s VALUES (2, 2, 'b')", "ALTER TABLE %s MODIFY n BIGINT",
                "INSERT INTO %s VALUES (3, 30000000000, 'c')");
        List<ChangeEvent> first = capture.events(DB, 1, 1, snapshotDdl);
        send(first);
        assertEquals(List.of("2 b 2"), rows("cd_modify_log", "v"));

        List<ChangeEvent> widened = capture.events(DB, 1, 1, snapshotDdl);
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> send(widened));
        String m = assertInstanceOf(LinkHaltException.class, e.getCause()).getMessage();
        assertTrue(m.contains("table " + DB + ".cd_modify") && m.contains("MODIFY n BIGINT")
                && m.contains("is INT in cd_modify_base") && m.contains("CHANGE COLUMN `n` `n` BIGINT")
                && m.contains("RENAME TO `n_old`"), m);
        assertEquals(List.of("2 b 2"), rows("cd_modify_log", "v"), "nothing after the change written");

        // the fix the message gives (this server changes no types: the rename), then the link starts again
        mc("ALTER TABLE cd_modify_base CHANGE COLUMN n RENAME TO n_old;");
        mc("ALTER TABLE cd_modify_log CHANGE COLUMN n RENAME TO n_old;");
        send(widened);
        assertEquals("BIGINT", McTables.target().odps().tables().get("cd_modify_log").getSchema().getColumn("n")
                .getTypeInfo().getTypeName());
        assertEquals(List.of("2 b null", "3 c 30000000000"), rows("cd_modify_log", "v"), "old values under n_old");
    }

    @Test
    void aDroppedColumnStaysNullFromThenOnAndAddingItAgainHaltsWithTheFix() throws Exception {
        loadThenRun("cd_drop", "ALTER TABLE %s DROP COLUMN note", "INSERT INTO %s VALUES (2, 2)",
                "ALTER TABLE %s ADD COLUMN note INT", "INSERT INTO %s VALUES (3, 3, 33)");
        send(capture.events(DB, 1, 1, snapshotDdl));
        assertEquals(List.of("1 old 1"), rows("cd_drop_base", "note"), "earlier rows keep the value");
        assertEquals(List.of("2 null 2"), rows("cd_drop_log", "note"));

        List<ChangeEvent> readded = capture.events(DB, 1, 1, snapshotDdl);
        for (int attempt = 0; attempt < 2; attempt++) { // and after a restart: the state remembers
            CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> send(readded));
            String m = assertInstanceOf(LinkHaltException.class, e.getCause()).getMessage();
            assertTrue(m.contains("table " + DB + ".cd_drop: column note was dropped on the source and is added again")
                    && m.contains("CHANGE COLUMN `note` RENAME TO `note_dropped`"), m);
        }
        mc("ALTER TABLE cd_drop_base CHANGE COLUMN note RENAME TO note_dropped;");
        mc("ALTER TABLE cd_drop_log CHANGE COLUMN note RENAME TO note_dropped;");
        send(readded);
        assertEquals(List.of("id", "note_dropped", "n", "note"), columns("cd_drop_base"));
        assertTrue(rows("cd_drop_log", "note").contains("3 33 3"), rows("cd_drop_log", "note").toString());
    }

    /** One batch to a new sink of link cdl (as after a restart). */
    private static void send(List<ChangeEvent> batch) {
        template.sendBody("maxcompute:cdl?dataSource=mc&partitionLevels=none&blockRows=" + (1000 + starts++), batch);
    }

    /** Sends the table's full load (its CREATE TABLE and row), then runs {@code statements} on it ({@code %s}: it). */
    private static void loadThenRun(String table, String... statements) {
        List<ChangeEvent> load = new ArrayList<>(snapshotDdl.stream().filter(e -> table.equals(e.table())).toList());
        load.addAll(snapshot.stream().filter(e -> table.equals(e.table())).toList());
        send(load);
        TestServers.mariaDb().execute(java.util.Arrays.stream(statements).map(x -> x.formatted(DB + "." + table))
                .collect(java.util.stream.Collectors.joining(";")));
    }

    private static List<String> columns(String table) throws Exception {
        return McTables.target().odps().tables().get(table).getSchema().getColumns().stream()
                .map(com.aliyun.odps.Column::getName).toList();
    }

    /** Rows as "id second n" (second: the named column), sorted. */
    private static List<String> rows(String table, String second) throws Exception {
        return McTables.read(table, null).stream().map(r -> r.get("id") + " " + text(r.get(second)) + " " + r.get("n"))
                .sorted().toList();
    }

    private static String text(Object v) {
        return v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(v);
    }

    private static void mc(String sql) throws Exception {
        var odps = McTables.target().odps();
        SQLTask.run(odps, TestServers.MAXCOMPUTE_PROJECT, sql, null, null).waitForSuccess(200);
    }
}
