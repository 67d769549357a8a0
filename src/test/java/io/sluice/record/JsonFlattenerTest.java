package io.sluice.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonFlattenerTest {
    /** Objects nested 4 deep under "user", plus an array holding an object, and a null. */
    private static final String DOC = """
            {"id":7,
             "user":{"name":"ann","addr":{"city":"Hz","geo":{"lat":1.50,"deep":{"k":true}}}},
             "tags":[1,{"a":2}],
             "n":null}""";
    private static final String USER_JSON =
            "{\"name\":\"ann\",\"addr\":{\"city\":\"Hz\",\"geo\":{\"lat\":1.50,\"deep\":{\"k\":true}}}}";

    private static Map<String, Object> flatten(int layers, String json) {
        return new JsonFlattener(layers).flatten(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void layer0KeepsWholeMessageAsCompactJson() {
        Map<String, Object> fields = flatten(0, DOC);
        assertEquals(Map.of(JsonFlattener.VALUE_FIELD,
                "{\"id\":7,\"user\":" + USER_JSON + ",\"tags\":[1,{\"a\":2}],\"n\":null}"), fields);
    }

    @Test
    void layer1KeepsNestedObjectsAndArraysAsText() {
        Map<String, Object> fields = flatten(1, DOC);
        assertEquals(List.of("id", "user", "tags", "n"), List.copyOf(fields.keySet()));
        assertEquals(7L, fields.get("id"));
        assertEquals(USER_JSON, fields.get("user"));
        assertEquals("[1,{\"a\":2}]", fields.get("tags"));
        assertTrue(fields.containsKey("n"));
        assertNull(fields.get("n"));
    }

    @Test
    void layer2ExpandsOneLevel() {
        Map<String, Object> fields = flatten(2, DOC);
        assertEquals(List.of("id", "user.name", "user.addr", "tags", "n"), List.copyOf(fields.keySet()));
        assertEquals("ann", fields.get("user.name"));
        assertEquals("{\"city\":\"Hz\",\"geo\":{\"lat\":1.50,\"deep\":{\"k\":true}}}", fields.get("user.addr"));
    }

    @Test
    void layer3ExpandsTwoLevels() {
        Map<String, Object> fields = flatten(3, DOC);
        assertEquals(List.of("id", "user.name", "user.addr.city", "user.addr.geo", "tags", "n"),
                List.copyOf(fields.keySet()));
        assertEquals("{\"lat\":1.50,\"deep\":{\"k\":true}}", fields.get("user.addr.geo"));
    }

    @Test
    void layer4ExpandsThreeLevelsAndStopsAtTheLimit() {
        Map<String, Object> fields = flatten(4, DOC);
        assertEquals(List.of("id", "user.name", "user.addr.city", "user.addr.geo.lat", "user.addr.geo.deep",
                "tags", "n"), List.copyOf(fields.keySet()));
        assertEquals(new BigDecimal("1.50"), fields.get("user.addr.geo.lat"));
        assertEquals(2, ((BigDecimal) fields.get("user.addr.geo.lat")).scale(), "decimal text kept exactly");
        assertEquals("{\"k\":true}", fields.get("user.addr.geo.deep"));
        assertEquals("[1,{\"a\":2}]", fields.get("tags"), "arrays are never expanded");
    }

    @Test
    void javadocExample() {
        String json = "{\"a\":1,\"b\":{\"c\":2}}";
        assertEquals(Map.of("a", 1L, "b", "{\"c\":2}"), flatten(1, json));
        assertEquals(Map.of("a", 1L, "b.c", 2L), flatten(2, json));
    }

    @Test
    void scalarsGetExactJavaTypes() {
        Map<String, Object> fields = flatten(1,
                "{\"s\":\"x\",\"t\":true,\"big\":18446744073709551616,\"l\":-9223372036854775808,"
                        + "\"d\":123456789012345678901234.5678,\"e\":1e2,\"o\":{}}");
        assertEquals("x", fields.get("s"));
        assertEquals(Boolean.TRUE, fields.get("t"));
        assertEquals(new BigInteger("18446744073709551616"), fields.get("big"));
        assertEquals(Long.MIN_VALUE, fields.get("l"));
        assertEquals(new BigDecimal("123456789012345678901234.5678"), fields.get("d"));
        assertEquals(0, new BigDecimal("100").compareTo((BigDecimal) fields.get("e")));
        assertEquals("{}", fields.get("o"));
    }

    @Test
    void expandedEmptyObjectYieldsNoField() {
        assertEquals(Map.of("a", 1L), flatten(2, "{\"a\":1,\"o\":{}}"));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 5})
    void layersOutsideZeroToFourRejected(int layers) {
        assertThrows(IllegalArgumentException.class, () -> new JsonFlattener(layers));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"a\":", "{\"a\":1} trailing", ""})
    void nonJsonIsDirty(String message) {
        DirtyDataException e = assertThrows(DirtyDataException.class,
                () -> JsonFlattener.parse(message.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("not valid JSON: "), e.getMessage());
        assertTrue(e.getMessage().length() > "not valid JSON: ".length());
    }

    @Test
    void nullMessageIsDirty() {
        assertThrows(DirtyDataException.class, () -> JsonFlattener.parse(null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1,2]|array", "\"text\"|string", "42|number", "true|boolean", "null|null"})
    void nonObjectTopLevelIsDirty(String message, String type) {
        DirtyDataException e = assertThrows(DirtyDataException.class,
                () -> JsonFlattener.parse(message.getBytes(StandardCharsets.UTF_8)));
        assertEquals("top-level JSON must be an object, got " + type, e.getMessage());
    }

    @Test
    void sameInstanceFlattensIndependentMessages() {
        JsonFlattener flattener = new JsonFlattener(JsonFlattener.DEFAULT_LAYERS);
        assertEquals(Map.of("a", 1L), flattener.flatten("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("b", 2L), flattener.flatten("{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, flattener.layers());
    }

    /** The streaming pass gives exactly what parsing to a tree and flattening it gives, order included. */
    @ParameterizedTest
    @ValueSource(strings = {
            DOC,
            "{\"a\":1,\"b\":{\"c\":2},\"a\":3}",
            "{\"big\":123456789012345678901234567890,\"exact\":1.50,\"exp\":1e3,\"neg\":-0.0}",
            "{\"x\":{\"y\":[1,[2,{\"z\":null}]],\"e\":{}},\"s\":\"\\u00e9\\n\",\"t\":true,\"f\":false}",
            "{\"b.c\":1,\"b\":{\"c\":2}}",
            "{}"})
    void streamingEqualsTheTreePath(String json) {
        for (int layers = 1; layers <= JsonFlattener.MAX_LAYERS; layers++) {
            JsonFlattener f = new JsonFlattener(layers);
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            Map<String, Object> tree = f.flatten(JsonFlattener.parse(bytes));
            Map<String, Object> streamed = f.flatten(bytes);
            assertEquals(tree, streamed, "layers " + layers);
            assertEquals(List.copyOf(tree.keySet()), List.copyOf(streamed.keySet()), "field order, layers " + layers);
        }
    }
}
