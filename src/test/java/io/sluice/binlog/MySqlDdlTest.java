package io.sluice.binlog;

import io.sluice.change.MySqlType;
import io.sluice.change.SchemaChange;
import io.sluice.change.SchemaChange.Action;
import io.sluice.change.SchemaChange.ColumnChange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DDL statements of the binlog read once into the {@link SchemaChange} every sink gets. */
class MySqlDdlTest {

    @Test
    void addColumnDdlIsParsed() {
        SchemaChange p = MySqlDdl.read("ALTER TABLE `db`.`t` ADD COLUMN `a b` bigint(20) unsigned NOT NULL "
                + "DEFAULT 0 AFTER x, ADD c enum('x','y'), ADD INDEX i (a), DROP COLUMN d");
        assertEquals(SchemaChange.Kind.ALTER_TABLE, p.kind());
        assertEquals(List.of(new ColumnChange(Action.ADD, "a b", "a b", MySqlType.parse("bigint(20) unsigned"),
                        "ADD COLUMN `a b` bigint(20) unsigned NOT NULL DEFAULT 0 AFTER x"),
                new ColumnChange(Action.ADD, "c", "c", MySqlType.parse("enum('x','y')"), "ADD c enum('x','y')")),
                p.changes().subList(0, 2));
        assertEquals("bigint(20) unsigned", p.changes().get(0).type().text());
        assertEquals(List.of("x", "y"), p.changes().get(1).type().values());
        assertEquals(List.of("ADD INDEX i (a)"), p.skipped());
        assertEquals(new ColumnChange(Action.DROP, "d", null, null, "DROP COLUMN d"), p.changes().get(2));
        SchemaChange more = MySqlDdl.read("ALTER TABLE t RENAME COLUMN `a b` TO c, CHANGE COLUMN c d varchar(30) "
                + "NOT NULL, MODIFY e bigint(20) unsigned DEFAULT 1, DROP INDEX i, DROP PRIMARY KEY, RENAME TO t2");
        assertEquals(List.of(new ColumnChange(Action.RENAME, "a b", "c", null,
                        "RENAME COLUMN `a b` TO c"),
                new ColumnChange(Action.CHANGE, "c", "d", MySqlType.parse("varchar(30)"),
                        "CHANGE COLUMN c d varchar(30) NOT NULL"),
                new ColumnChange(Action.MODIFY, "e", "e", MySqlType.parse("bigint(20) unsigned"),
                        "MODIFY e bigint(20) unsigned DEFAULT 1")), more.changes());
        assertEquals(List.of("DROP INDEX i", "DROP PRIMARY KEY", "RENAME TO t2"), more.skipped());
        assertNull(MySqlDdl.read("CREATE INDEX i ON t (a)"));
        SchemaChange created = MySqlDdl.read("CREATE TABLE `t` (\n  `id` bigint(20) unsigned NOT NULL,"
                + "\n  `e` enum('a','b,c') DEFAULT 'a',\n  code char(3) PRIMARY KEY,\n  PRIMARY KEY (`id`),\n  KEY `k` (`e`),"
                + "\n  CONSTRAINT `f` FOREIGN KEY (`id`) REFERENCES `o` (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        assertTrue(created.isCreateTable());
        assertEquals(List.of(new SchemaChange.Column("id", MySqlType.parse("bigint(20) unsigned")),
                new SchemaChange.Column("e", MySqlType.parse("enum('a','b,c')")),
                new SchemaChange.Column("code", MySqlType.parse("char(3)"))), created.columns());
        assertEquals(List.of("code", "id"), created.primaryKey());
        assertNull(MySqlDdl.read("DROP TABLE IF EXISTS `t`"));
    }

    @Test
    void enumValuesMayHoldParenthesesAndATypeThatCannotBeReadIsASkippedClause() {
        SchemaChange p = MySqlDdl.read("ALTER TABLE t ADD COLUMN s enum('a)','b''c') NOT NULL, ADD n decimal(10,x)");
        assertEquals(List.of(new ColumnChange(Action.ADD, "s", "s", MySqlType.of("enum", null, null, List.of("a)", "b'c")),
                "ADD COLUMN s enum('a)','b''c') NOT NULL")), p.changes());
        assertEquals(List.of("ADD n decimal(10,x)"), p.skipped());
    }
}
