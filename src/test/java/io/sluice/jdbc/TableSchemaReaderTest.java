package io.sluice.jdbc;

import io.sluice.record.Column;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableSchemaReaderTest {

    static MariaDbServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MariaDbServer.start();
        server.exec("DROP DATABASE IF EXISTS shop", "CREATE DATABASE shop",
                "CREATE TABLE shop.all_kinds ("
                        + " id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,"
                        + " tenant INT UNSIGNED NOT NULL,"
                        + " amount DECIMAL(12,2) NULL,"
                        + " name VARCHAR(64) NOT NULL,"
                        + " note TEXT,"
                        + " created_at DATETIME(3) NOT NULL,"
                        + " day DATE,"
                        + " active TINYINT(1) NOT NULL DEFAULT 1,"
                        + " payload JSON,"
                        + " status VARCHAR(16) NOT NULL DEFAULT 'new',"
                        + " small TINYINT,"
                        + " plain_text LONGTEXT,"
                        + " PRIMARY KEY (tenant, id), KEY (id))",
                "CREATE TABLE shop.no_pk (a INT, b VARCHAR(10))");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static TableSchema read(String db, String table) throws Exception {
        try (Connection c = server.rootDataSource("").getConnection()) {
            return TableSchemaReader.read(c, db, table);
        }
    }

    @Test
    void readsEveryKindOfColumnAndThePrimaryKeyInKeyOrder() throws Exception {
        TableSchema s = read("shop", "all_kinds");
        assertEquals("shop", s.database());
        assertEquals("all_kinds", s.table());
        assertEquals(List.of("tenant", "id"), s.primaryKey());
        assertEquals(List.of("id", "tenant", "amount", "name", "note", "created_at", "day", "active", "payload",
                        "status", "small", "plain_text"),
                s.columns().stream().map(Column::name).collect(Collectors.toList()));

        List<Column> expected = List.of(
                // name, jdbcType, typeName, size, scale, nullable, hasDefault, autoIncrement, unsigned
                new Column("id", Types.BIGINT, "BIGINT UNSIGNED", 20, 0, false, false, true, true),
                new Column("tenant", Types.INTEGER, "INT UNSIGNED", 10, 0, false, false, false, true),
                new Column("amount", Types.DECIMAL, "DECIMAL", 12, 2, true, false, false, false),
                new Column("name", Types.VARCHAR, "VARCHAR", 64, 0, false, false, false, false),
                new Column("note", Types.LONGVARCHAR, "TEXT", 65535, 0, true, false, false, false),
                new Column("created_at", Types.TIMESTAMP, "DATETIME", 3, 0, false, false, false, false),
                new Column("day", Types.DATE, "DATE", 0, 0, true, false, false, false),
                new Column("active", Types.BOOLEAN, "TINYINT", 1, 0, false, true, false, false),
                new Column("payload", Types.LONGVARCHAR, "JSON", Integer.MAX_VALUE, 0, true, false, false, false),
                new Column("status", Types.VARCHAR, "VARCHAR", 16, 0, false, true, false, false),
                new Column("small", Types.TINYINT, "TINYINT", 3, 0, true, false, false, false),
                new Column("plain_text", Types.LONGVARCHAR, "LONGTEXT", Integer.MAX_VALUE, 0, true, false, false,
                        false));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), s.columns().get(i), "column " + expected.get(i).name());
        }
        assertTrue(s.isPrimaryKeyColumn("TENANT"));
        assertEquals("VARCHAR", s.column("NAME").orElseThrow().typeName());
    }

    @Test
    void tableWithoutPrimaryKeyHasNoKey() throws Exception {
        TableSchema s = read("shop", "no_pk");
        assertEquals(List.of(), s.primaryKey());
        assertEquals(2, s.columns().size());
    }

    @Test
    void missingTableIsReportedWithTheFix() {
        TableNotFoundException e = assertThrows(TableNotFoundException.class, () -> read("shop", "orders"));
        assertEquals("table shop.orders does not exist in the destination database: create it first "
                + "(Sluice does not create APS destination tables)", e.getMessage());
        assertEquals("shop", e.database());
        assertEquals("orders", e.table());
        assertThrows(TableNotFoundException.class, () -> read("no_such_db", "all_kinds"));
    }
}
