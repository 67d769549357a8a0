package io.sluice.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.record.Cols.*;
import static org.junit.jupiter.api.Assertions.*;

class RowConverterTest {
    private static final Column ID = autoIncrement("id", "BIGINT");
    private static final Column NAME = notNull("name", "VARCHAR", 5);
    private static final Column QTY = col("qty", "INT");
    private static final Column STATUS = notNullWithDefault("status", "TINYINT");
    private static final Column NOTE = col("note", "VARCHAR", 10);
    private static final FieldMapping MAPPING = FieldMapping.of(List.of(ID, NAME, QTY, STATUS, NOTE));

    private static Converted convert(DirtyDataPolicy policy, Map<String, Object> fields) {
        return new RowConverter(MAPPING, new TypeCoercer(), policy).convert(fields);
    }

    /** HashMap, not Map.of, because source fields may hold null. */
    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void cleanRowWritesEveryTargetColumn() {
        Converted c = convert(DirtyDataPolicy.STOP, row("id", 9, "NAME", "ann", "qty", "3", "status", 1, "note", "hi"));
        assertTrue(c.writable());
        assertTrue(c.dirtyFields().isEmpty());
        assertEquals(MAPPING.targetColumns(), c.columns());
        assertArrayEquals(new Object[] {9L, "ann", 3L, 1L, "hi"}, c.values());
    }

    @Test
    void missingFieldsAreLeftOutSoDefaultsApply() {
        Converted c = convert(DirtyDataPolicy.STOP, row("name", "ann"));
        assertTrue(c.writable());
        assertEquals(List.of(NAME), c.columns());
        assertArrayEquals(new Object[] {"ann"}, c.values());
    }

    @Test
    void stopPolicyMakesDirtyRowUnwritableAndReportsEveryField() {
        Converted c = convert(DirtyDataPolicy.STOP, row("name", "ann", "qty", "abc", "note", "way too long!"));
        assertFalse(c.writable());
        assertEquals(List.of(
                new DirtyField("qty", "qty", "INT", "abc", "is not an integer"),
                new DirtyField("note", "note", "VARCHAR(10)", "way too long!",
                        "has 13 characters, more than the 10 allowed")), c.dirtyFields());
    }

    @Test
    void nullPolicyWritesNullForDirtyNullableField() {
        Converted c = convert(DirtyDataPolicy.NULL, row("name", "ann", "qty", "abc"));
        assertTrue(c.writable());
        assertEquals(List.of(NAME, QTY), c.columns());
        assertArrayEquals(new Object[] {"ann", null}, c.values());
        assertEquals(1, c.dirtyFields().size());
        assertEquals("is not an integer", c.dirtyFields().get(0).reason());
    }

    @Test
    void nullPolicyCannotNullANotNullColumnWithoutDefault() {
        Converted c = convert(DirtyDataPolicy.NULL, row("name", "toolong"));
        assertFalse(c.writable());
        DirtyField dirty = c.dirtyFields().get(0);
        assertEquals("name", dirty.column());
        assertEquals("toolong", dirty.value());
        assertTrue(dirty.reason().endsWith("column name is NOT NULL, cannot write NULL"), dirty.reason());
    }

    @Test
    void nullPolicyOmitsDirtyNotNullColumnWithDefault() {
        Converted c = convert(DirtyDataPolicy.NULL, row("name", "ann", "status", "abc"));
        assertTrue(c.writable());
        assertEquals(List.of(NAME), c.columns());
        assertEquals("status", c.dirtyFields().get(0).column());
    }

    @Test
    void nullOrMissingValueForRequiredColumnIsDirtyUnderBothPolicies() {
        for (DirtyDataPolicy policy : DirtyDataPolicy.values()) {
            Converted nulled = convert(policy, row("name", null));
            assertFalse(nulled.writable(), policy.name());
            assertEquals(new DirtyField("name", "name", "VARCHAR(5)", null, "null into NOT NULL column name"),
                    nulled.dirtyFields().get(0));
            Converted missing = convert(policy, row("qty", 1));
            assertFalse(missing.writable(), policy.name());
            assertTrue(missing.dirtyFields().get(0).reason().startsWith("null into NOT NULL column name"));
        }
    }

    @Test
    void jsonNullGoesToNullableColumnsAndDefaultsElsewhere() {
        Converted c = convert(DirtyDataPolicy.STOP, row("id", null, "name", "ann", "qty", null, "status", null));
        assertTrue(c.writable());
        assertEquals(List.of(NAME, QTY), c.columns());
        assertArrayEquals(new Object[] {"ann", null}, c.values());
    }

    @Test
    void endToEndFromKafkaBytes() {
        Column created = col("created", "DATETIME");
        Column city = col("user_city", "VARCHAR", 20);
        FieldMapping mapping = FieldMapping.of(List.of(ID, NAME, city, created), Map.of("name", "user.name"), null);
        RowConverter converter = new RowConverter(mapping,
                new TypeCoercer(UnixTimestampUnit.SECONDS, ZoneOffset.UTC), DirtyDataPolicy.STOP);
        byte[] message = "{\"user\":{\"name\":\"bob\",\"city\":\"Hz\"},\"created\":1710604800}"
                .getBytes(StandardCharsets.UTF_8);
        Converted c = converter.convert(new JsonFlattener(2).flatten(message));
        assertTrue(c.writable(), () -> c.dirtyFields().toString());
        assertEquals(List.of(NAME, city, created), c.columns());
        assertEquals(Arrays.asList("bob", "Hz", LocalDateTime.of(2024, 3, 16, 16, 0)), Arrays.asList(c.values()));
    }
}
