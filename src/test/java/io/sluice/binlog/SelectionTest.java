package io.sluice.binlog;

import io.sluice.change.ChangeEvent;
import io.sluice.change.Operation;
import io.sluice.change.SourcePosition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which change events a link sends: databases and tables, per-table operations, DDL and the snapshot's noise. */
class SelectionTest {

    private static ChangeEvent row(String db, String table, Operation op, boolean snapshot) {
        return new ChangeEvent(db, table, op, List.of(), null, Map.of(), null, position(snapshot));
    }

    private static ChangeEvent ddl(String db, String table, String sql, boolean snapshot) {
        return new ChangeEvent(db, table, Operation.DDL, List.of(), null, null, sql, position(snapshot));
    }

    private static SourcePosition position(boolean snapshot) {
        return new SourcePosition("mariadb-bin.000001", 4, 0, null, 1, null, 0, snapshot);
    }

    @Test
    void tablesAreRegularExpressionsOverDatabaseDotTable() {
        Selection s = new Selection("shop", "shop\\.orders,shop\\.item_.*", null, null);
        assertTrue(s.keep(row("shop", "orders", Operation.INSERT, false)));
        assertTrue(s.keep(row("shop", "ITEM_1", Operation.DELETE, false)));
        assertFalse(s.keep(row("shop", "orders_old", Operation.INSERT, false)));
        assertFalse(s.keep(row("other", "orders", Operation.INSERT, false)));
    }

    @Test
    void perTableOperationsApplyToBinlogChangesButNotToTheFullLoad() {
        Selection s = new Selection("shop", null, "insert,update,delete", "shop.audit=insert");
        assertTrue(s.keep(row("shop", "audit", Operation.INSERT, false)));
        assertFalse(s.keep(row("shop", "audit", Operation.UPDATE, false)));
        assertTrue(s.keep(row("shop", "audit", Operation.INSERT, true)));
        assertTrue(s.keep(row("shop", "orders", Operation.DELETE, false)));
        assertFalse(s.keep(ddl("shop", "orders", "ALTER TABLE orders ADD c INT", false)), "ddl not in operations");
        assertThrows(IllegalArgumentException.class, () -> new Selection(null, null, "insert,merge", null));
        assertThrows(IllegalArgumentException.class, () -> new Selection(null, null, null, "shop.audit"));
    }

    @Test
    void ddlOfSelectedTablesOnlyAndNoSnapshotNoise() {
        Selection s = new Selection(null, "shop\\.orders", null, null);
        assertTrue(s.keep(ddl("shop", "orders", "ALTER TABLE orders ADD c INT", false)));
        assertFalse(s.keep(ddl("shop", "customers", "ALTER TABLE customers ADD c INT", false)));
        assertTrue(s.keep(ddl("shop", "orders,customers", "RENAME TABLE orders TO o2, customers TO orders", false)));
        assertTrue(s.keep(ddl("shop", "", "CREATE DATABASE shop", false)), "database-level DDL of a selected database");
        assertFalse(s.keep(ddl("other", "", "DROP DATABASE other", false)));
        assertTrue(s.keep(ddl("shop", "orders", "CREATE TABLE orders (id INT PRIMARY KEY)", true)));
        assertFalse(s.keep(ddl("shop", "orders", "DROP TABLE IF EXISTS `shop`.`orders`", true)));
        assertFalse(s.keep(ddl("shop", "", "SET character_set_server=utf8mb4, collation_server=utf8mb4_general_ci", true)));
        assertFalse(s.keep(ddl("shop", "", "USE `shop`", true)));
    }
}
