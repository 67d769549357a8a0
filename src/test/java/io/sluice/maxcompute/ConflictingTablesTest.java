package io.sluice.maxcompute;

import io.sluice.base.LinkHaltException;
import io.sluice.change.ChangeColumn;
import io.sluice.change.ChangeEvent;
import io.sluice.change.MySqlType;
import io.sluice.change.Operation;
import io.sluice.change.SourcePosition;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processing mode of conflicting tables (seed 002): {@code conflictingTables=precheck} (default) stops the link before
 * it writes a table whose {@code _base}/{@code _log} exist and were not created by it, naming them and the fix;
 * {@code ignore} appends to them (and never empties them); a link's own tables, recorded in its state, pass when it
 * starts again, and its own {@code _base} is emptied when a full load starts again.
 */
class ConflictingTablesTest {

    private static final List<ChangeColumn> COLUMNS = List.of(
            new ChangeColumn("id", MySqlType.of("int", 11, null, null), true, false),
            new ChangeColumn("name", MySqlType.of("varchar", 20, null, null), false, true));
    private static DefaultCamelContext camel;
    private static ProducerTemplate template;
    private static Path state;

    @BeforeAll
    static void start() throws Exception {
        state = Files.createTempDirectory("mc-conflict-state");
        camel = new DefaultCamelContext();
        camel.addComponent("maxcompute", new MaxComputeComponent().addDataSource("mc", McTables.target())
                .stateDirectory(state));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.stop();
    }

    @Test
    void existingTablesOfSomeoneElseFailThePrecheckAndIgnoreAppendsToThem() throws Exception {
        // another writer's tables of the same names
        ChangeTableWriter other = new ChangeTableWriter(McTables.target(), new TableLayout("ct_taken",
                List.of(new SourceColumn("id", "int"), new SourceColumn("name", "varchar(20)")), NamingRule.NEW,
                List.of()), WriterOptions.defaults());
        other.createTables();
        other.addBase(new Object[] {100L, "theirs"});
        other.flush();

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("maxcompute:ct-link?dataSource=mc", snapshot("ct_taken", 1)));
        LinkHaltException halt = assertInstanceOf(LinkHaltException.class, e.getCause());
        assertTrue(halt.getMessage().contains("failed its precheck: [conflicting tables]")
                && halt.getMessage().contains("shop.ct_taken") && halt.getMessage().contains("ct_taken_base and ct_taken_log")
                && halt.getMessage().contains("conflictingTables=ignore"), halt.getMessage());
        assertEquals(List.of("100 theirs"), base("ct_taken"), "nothing written");

        template.sendBody("maxcompute:ct-link?dataSource=mc&conflictingTables=ignore", snapshot("ct_taken", 1));
        assertEquals(List.of("1 n1", "100 theirs"), base("ct_taken"), "ignore: appended to the existing rows");
    }

    @Test
    void aLinksOwnTablesPassWhenItStartsAgainButNotForAnotherLink() throws Exception {
        template.sendBody("maxcompute:ct-own?dataSource=mc", snapshot("ct_own", 1));
        assertTrue(Files.readString(state.resolve("ct-own").resolve("maxcompute.state")).contains("created ct_own_base"));
        // started again: a new sink of the same link, its state read from the directory
        template.sendBody("maxcompute:ct-own?dataSource=mc&blockRows=999", List.of(change("ct_own", 2)));
        assertEquals(1, McTables.readAllPartitions("ct_own_log").size());
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("maxcompute:ct-another?dataSource=mc", List.of(change("ct_own", 3))));
        assertTrue(e.getCause().getMessage().contains("ct_own_base and ct_own_log"), e.getCause().getMessage());
    }

    @Test
    void aFullLoadStartedAgainEmptiesTheLinksOwnBaseFirst() throws Exception {
        template.sendBody("maxcompute:ct-reload?dataSource=mc", snapshot("ct_reload", 1));
        template.sendBody("maxcompute:ct-reload?dataSource=mc", snapshot("ct_reload", 2)); // the same load goes on
        assertEquals(List.of("1 n1", "2 n2"), base("ct_reload"));
        // killed in the middle of the load, the link starts again and the load starts from the beginning
        template.sendBody("maxcompute:ct-reload?dataSource=mc&blockRows=999", snapshot("ct_reload", 1));
        assertEquals(List.of("1 n1"), base("ct_reload"), "only the repeated load");
    }

    @Test
    void aLinkThatRanBeforeTheSinkKeptStateTakesItsTablesAsItsOwn() throws Exception {
        template.sendBody("maxcompute:ct-legacy-writer?dataSource=mc", snapshot("ct_legacy", 1));
        Files.createDirectories(state.resolve("ct-legacy"));
        Files.writeString(state.resolve("ct-legacy").resolve("offsets.dat"), "binlog offsets of an earlier version");
        template.sendBody("maxcompute:ct-legacy?dataSource=mc", List.of(change("ct_legacy", 2)));
        assertEquals(1, McTables.readAllPartitions("ct_legacy_log").size());
    }

    private static List<ChangeEvent> snapshot(String table, long id) {
        return List.of(new ChangeEvent("shop", table, Operation.INSERT, COLUMNS, null, Map.of("id", id, "name", "n" + id),
                null, new SourcePosition("mysql-bin.000001", 4, 0, null, 0, null, 1_712_667_000_000L, true)));
    }

    private static ChangeEvent change(String table, long id) {
        return new ChangeEvent("shop", table, Operation.INSERT, COLUMNS, null, Map.of("id", id, "name", "n" + id), null,
                new SourcePosition("mysql-bin.000001", 400 + id, 0, null, 1, null, 1_712_667_000_000L, false, 2));
    }

    private static List<String> base(String table) throws Exception {
        return McTables.read(table + "_base", null).stream().map(r -> r.get("id") + " " + r.get("name")).sorted().toList();
    }
}
