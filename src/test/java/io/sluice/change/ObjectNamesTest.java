package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Renames of databases, tables and columns and the capitalization of names, applied to change events. */
class ObjectNamesTest {

    private static final SourcePosition POSITION = new SourcePosition("mariadb-bin.000001", 4, 0, null, 1, null, 0, false);

    private static ChangeEvent update() {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("Id", 1L);
        before.put("Amount", 5L);
        before.put("Note", "a");
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("Amount", 7L);
        return new ChangeEvent("Shop", "Orders", Operation.UPDATE, List.of(
                new ChangeColumn("Id", MySqlType.of("INT", null, null, null), true, false),
                new ChangeColumn("Amount", MySqlType.of("INT", null, null, null), false, true),
                new ChangeColumn("Note", MySqlType.of("VARCHAR", 10, null, null), false, true)), before, after, null, POSITION);
    }

    @Test
    void renamesReachDatabaseTableColumnsKeyAndBothImagesOtherNamesGetTheCase() {
        ObjectNames names = ObjectNames.parse("shop=Shop_Copy", "shop.orders=Orders2", "SHOP.ORDERS.amount=Total;shop.orders.id=Order_Id",
                "lowercase");
        ChangeEvent e = names.apply(update());
        assertEquals("shop_copy", e.database(), "the capitalization applies to new names too");
        assertEquals("orders2", e.table());
        assertEquals(List.of("order_id", "total", "note"), e.columns().stream().map(ChangeColumn::name).toList());
        assertEquals(List.of("order_id"), e.keyNames());
        assertEquals(List.of("order_id", "total", "note"), List.copyOf(e.before().keySet()), "row order kept");
        assertEquals(7L, e.after().get("total"));
        ChangeEvent asWritten = ObjectNames.parse("shop=Shop_Copy", null, "shop.orders.amount=Total", "source").apply(update());
        assertEquals("Shop_Copy", asWritten.database(), "under source a new name stays as written");
        assertEquals(List.of("Id", "Total", "Note"), List.copyOf(asWritten.after().keySet()));
        assertEquals("a", e.after().get("note"));
        assertEquals(POSITION, e.position());
    }

    @Test
    void nameCaseWithoutRenamesAndTheSinksDefault() {
        assertEquals("SHOP.ORDERS AMOUNT", describe(ObjectNames.parse(null, null, null, "uppercase").apply(update())));
        assertEquals("Shop.Orders Amount", describe(ObjectNames.parse(null, null, null, "source").apply(update())));
        ObjectNames dtsDefault = ObjectNames.parse(null, null, null, null);
        assertEquals(ObjectNameCase.DTS_DEFAULT, dtsDefault.nameCase());
        assertEquals("shop.orders amount", describe(dtsDefault.withDefault(ObjectNameCase.LOWERCASE).apply(update())),
                "MaxCompute's default");
        ChangeEvent unchanged = update();
        assertSame(unchanged, dtsDefault.withDefault(ObjectNameCase.SOURCE).apply(unchanged), "Kafka's default: as is");
        assertEquals(ObjectNameCase.UPPERCASE, ObjectNames.parse(null, null, null, "uppercase")
                .withDefault(ObjectNameCase.LOWERCASE).nameCase(), "an explicit choice wins over the sink's default");
    }

    private static String describe(ChangeEvent e) {
        return e.database() + "." + e.table() + " " + e.columns().get(1).name();
    }

    @Test
    void ddlKeepsItsSqlButGetsTheNewDatabaseAndTables() {
        ObjectNames names = ObjectNames.parse("shop=shop2", "shop.a=a2", null, "source");
        ChangeEvent ddl = new ChangeEvent("shop", "a,b", Operation.DDL, List.of(), null, null, "RENAME TABLE a TO b", POSITION);
        ChangeEvent out = names.apply(ddl);
        assertEquals("shop2", out.database());
        assertEquals("a2,b", out.table());
        assertEquals("RENAME TABLE a TO b", out.ddl());
        assertEquals("", names.apply(new ChangeEvent("shop", "", Operation.DDL, List.of(), null, null, "CREATE DATABASE shop",
                POSITION)).table());
    }

    @Test
    void aSchemaChangeGetsTheDestinationsColumnNamesAsRowsDo() {
        ObjectNames names = ObjectNames.parse(null, "Shop.Orders=Orders2", "shop.orders.amount=Total", null)
                .withDefault(ObjectNameCase.LOWERCASE);
        SchemaChange alter = SchemaChange.alterTable(List.of(
                new SchemaChange.ColumnChange(SchemaChange.Action.RENAME, "Amount", "Price", null, "RENAME COLUMN Amount TO Price"),
                new SchemaChange.ColumnChange(SchemaChange.Action.DROP, "Note", null, null, "DROP Note")), List.of("ADD INDEX i (a)"));
        String sql = "ALTER TABLE Orders RENAME COLUMN Amount TO Price, DROP Note, ADD INDEX i (a)";
        ChangeEvent out = names.apply(new ChangeEvent("Shop", "Orders", Operation.DDL, List.of(), null, null, sql, POSITION,
                alter));
        assertEquals("shop.orders2", out.database() + "." + out.table());
        assertEquals(sql, out.ddl(), "the statement's text keeps the source's names");
        assertEquals(List.of("total price", "note null"), out.schemaChange().changes().stream()
                .map(c -> c.name() + " " + c.newName()).toList());
        assertEquals(alter.changes().get(0).clause(), out.schemaChange().changes().get(0).clause());
        assertEquals(List.of("ADD INDEX i (a)"), out.schemaChange().skipped());

        SchemaChange create = SchemaChange.createTable(List.of(new SchemaChange.Column("Id", MySqlType.parse("int")),
                new SchemaChange.Column("AMOUNT", MySqlType.parse("decimal(10,2)"))), List.of("Id"));
        SchemaChange created = names.apply(new ChangeEvent("shop", "orders", Operation.DDL, List.of(), null, null,
                "CREATE TABLE ...", POSITION, create)).schemaChange();
        assertEquals(List.of("id", "total"), created.columns().stream().map(SchemaChange.Column::name).toList());
        assertEquals(List.of("id"), created.primaryKey());
        assertEquals(create, ObjectNames.parse(null, null, null, "source").apply(new ChangeEvent("shop", "orders",
                Operation.DDL, List.of(), null, null, "CREATE TABLE ...", POSITION, create)).schemaChange());
    }

    @Test
    void malformedEntriesAreRefusedNamingTheOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectNames.parse(null, "orders=o2", null, null))
                .getMessage().startsWith("renameTables entry 'orders=o2'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectNames.parse(null, "shop.orders=x.o2", null, null))
                .getMessage().contains("renameTables"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectNames.parse(null, null, "shop.orders=c", null))
                .getMessage().startsWith("renameColumns entry"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectNames.parse("a=b,A=c", null, null, null))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ObjectNames.parse(null, null, null, "camel"))
                .getMessage().contains("dts-default, source, lowercase or uppercase"));
    }
}
