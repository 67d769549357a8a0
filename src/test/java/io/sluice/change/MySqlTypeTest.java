package io.sluice.change;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Type text as DDL statements and {@code DESC} write it, read into the same {@link MySqlType} a change event carries. */
class MySqlTypeTest {

    @Test
    void typeTextReadsIntoItsParts() {
        assertEquals(MySqlType.of("BIGINT UNSIGNED", 20, null, null), MySqlType.parse("bigint(20) unsigned"));
        assertEquals(MySqlType.of("decimal", 10, 2, null), MySqlType.parse("DECIMAL (10, 2)"));
        assertEquals(MySqlType.of("enum", null, null, List.of("a", "b,c", "it's")), MySqlType.parse("enum('a','b,c','it''s')"));
        assertEquals("enum('a','b,c','it''s')", MySqlType.parse("enum('a','b,c','it''s')").text());
        assertEquals(MySqlType.of("double", null, null, null), MySqlType.parse("double precision"));
        assertEquals(6, MySqlType.parse("time(6)").fsp());
        assertEquals(0, MySqlType.parse("time").fsp());
        assertEquals("blob", MySqlType.parse("blob(100)").text(), "a length BLOB text never shows is dropped, as of() does");
        assertEquals("tinyint(1) unsigned zerofill", MySqlType.parse("TINYINT(1) UNSIGNED ZEROFILL").text());
        assertTrue(MySqlType.parse("int signed").modifiers().equals("signed") && !MySqlType.parse("int signed").unsigned());
    }

    @Test
    void textThatIsNoTypeIsRefused() {
        for (String bad : new String[] {"", "(10)", "decimal(10,x)", "decimal(1,2,3)", "enum(a)", "enum('a"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MySqlType.parse(bad), bad);
            assertTrue(e.getMessage().contains("not a MySQL column type"), e.getMessage());
        }
    }
}
