package io.sluice.record;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sluice.record.Cols.autoIncrement;
import static io.sluice.record.Cols.col;
import static org.junit.jupiter.api.Assertions.*;

class FieldMappingTest {
    private static final Column ID = autoIncrement("id", "BIGINT");
    private static final Column USER_NAME = col("user_name", "VARCHAR", 20);
    private static final Column QTY = col("Qty", "INT");
    private static final Column CREATED = col("created", "DATETIME");
    private static final List<Column> TABLE = List.of(ID, USER_NAME, QTY, CREATED);

    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String resolve(FieldMapping mapping, Column column, Map<String, Object> fields) {
        return mapping.resolve(mapping.targetColumns().indexOf(column), FieldIndex.of(fields));
    }

    @Test
    void defaultMatchesIgnoringCaseThenDotsAsUnderscores() {
        FieldMapping mapping = FieldMapping.of(TABLE);
        Map<String, Object> msg = fields("ID", 1, "user.name", "ann", "qty", 2);
        assertEquals("ID", resolve(mapping, ID, msg));
        assertEquals("user.name", resolve(mapping, USER_NAME, msg));
        assertEquals("qty", resolve(mapping, QTY, msg));
        assertNull(resolve(mapping, CREATED, msg));
        assertEquals(TABLE, mapping.targetColumns());
    }

    @Test
    void exactNameBeatsCaseInsensitiveAndNameBeatsUnderscored() {
        FieldMapping mapping = FieldMapping.of(TABLE);
        assertEquals("Qty", resolve(mapping, QTY, fields("QTY", 1, "Qty", 2)));
        assertEquals("USER_NAME", resolve(mapping, USER_NAME, fields("user.name", "a", "USER_NAME", "b")));
    }

    @Test
    void userMappingOverridesDefaultWithoutFallback() {
        FieldMapping mapping = FieldMapping.of(TABLE, Map.of("USER_NAME", "profile.login"), Set.of());
        assertEquals("profile.login", resolve(mapping, USER_NAME, fields("user_name", "x", "profile.login", "y")));
        assertEquals("Profile.Login", resolve(mapping, USER_NAME, fields("Profile.Login", "y")));
        assertNull(resolve(mapping, USER_NAME, fields("user_name", "x")), "explicit path does not fall back");
        assertEquals("profile.login", mapping.sourcePath(USER_NAME));
        assertEquals("Qty", mapping.sourcePath(QTY));
    }

    @Test
    void mappingToUnknownColumnFailsNamingItAndTheTable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.of(TABLE, Map.of("nope", "a", "qty", "b", "zzz", "c"), Set.of()));
        assertEquals("unknown destination column(s) [nope, zzz]; table columns are [id, user_name, Qty, created]",
                e.getMessage());
    }

    @Test
    void skippedColumnsAreNotTargets() {
        FieldMapping mapping = FieldMapping.of(TABLE, null, Set.of("CREATED", "id"));
        assertEquals(List.of(USER_NAME, QTY), mapping.targetColumns());
    }

    @Test
    void badSkipConfigurationsFail() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.of(TABLE, Map.of(), Set.of("ghost"))).getMessage().contains("[ghost]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.of(TABLE, Map.of("qty", "q"), Set.of("QTY"))).getMessage()
                .contains("both mapped and skipped"));
        assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.of(List.of(QTY), Map.of(), Set.of("qty")));
        assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.of(TABLE, Map.of("qty", " "), Set.of()));
    }
}
