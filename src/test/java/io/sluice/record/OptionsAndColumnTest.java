package io.sluice.record;

import org.junit.jupiter.api.Test;

import java.sql.Types;

import static org.junit.jupiter.api.Assertions.*;

class OptionsAndColumnTest {
    @Test
    void unixTimestampUnitParsesOptionValues() {
        assertEquals(UnixTimestampUnit.NONE, UnixTimestampUnit.parse("none"));
        assertEquals(UnixTimestampUnit.SECONDS, UnixTimestampUnit.parse("seconds"));
        assertEquals(UnixTimestampUnit.MILLISECONDS, UnixTimestampUnit.parse(" Milliseconds "));
        assertEquals(UnixTimestampUnit.MICROSECONDS, UnixTimestampUnit.parse("MICROSECONDS"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnixTimestampUnit.parse("ms"));
        assertEquals("unknown unix timestamp unit 'ms', allowed: none, seconds, milliseconds, microseconds",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UnixTimestampUnit.parse(null));
    }

    @Test
    void dirtyDataPolicyParsesOptionValues() {
        assertEquals(DirtyDataPolicy.STOP, DirtyDataPolicy.parse("Stop"));
        assertEquals(DirtyDataPolicy.NULL, DirtyDataPolicy.parse("null"));
        assertEquals(DirtyDataPolicy.STOP, DirtyDataPolicy.DEFAULT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DirtyDataPolicy.parse("skip"));
        assertEquals("unknown dirty data policy 'skip', allowed: stop, null", e.getMessage());
    }

    @Test
    void columnNormalisesTypeName() {
        Column c = new Column("n", Types.INTEGER, " int(11) unsigned zerofill ", 10, 0, true, false, false, false);
        assertEquals("INT(11) UNSIGNED ZEROFILL", c.typeName());
        assertTrue(c.unsigned());
        assertEquals("INT", c.baseType());
        assertEquals("n INT UNSIGNED", c.describe());
        assertEquals("DECIMAL(5,2)", Cols.col("p", "decimal", 5, 2).displayType());
        assertEquals("VARCHAR(5)", Cols.col("v", "varchar", 5).displayType());
        assertEquals("DATETIME", Cols.col("d", "DATETIME", 6).displayType());
        assertTrue(Cols.notNull("r", "INT", 0).requiresValue());
        assertFalse(Cols.notNullWithDefault("r", "INT").requiresValue());
        assertFalse(Cols.autoIncrement("r", "INT").requiresValue());
    }
}
