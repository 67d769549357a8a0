package io.sluice.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JSON object into named fields, expanding nested objects up to {@code layers} deep.
 *
 * <p>Naming rule: a field is named by its full dotted path from the top. With {@code layers = 0}
 * the whole message is one field {@value #VALUE_FIELD} holding compact JSON text. With
 * {@code layers = n >= 1} top-level fields are fields, and an object found at depth {@code d < n}
 * is replaced by its children, named {@code parent.child}. Objects at the layer limit and all
 * arrays stay compact JSON text. An expanded empty object therefore yields no field.
 * Example: {@code {"a":1,"b":{"c":2}}} gives {@code a=1, b="{\"c\":2}"} with layers=1 and
 * {@code a=1, b.c=2} with layers=2. If a literal key such as {@code "b.c"} collides with an
 * expanded path, the later one in document order wins.
 *
 * <p>Scalars: strings become String, integral numbers Long (BigInteger when too big), other
 * numbers BigDecimal from the exact JSON text, booleans Boolean, JSON null null.
 */
public final class JsonFlattener {
    public static final String VALUE_FIELD = "__value__";
    public static final int DEFAULT_LAYERS = 1;
    public static final int MAX_LAYERS = 4;

    private final int layers;

    /** Reads one value inside a document being streamed: what follows it is the rest of the document. */
    private static final ObjectReader SUBTREE = JsonSupport.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public JsonFlattener(int layers) {
        if (layers < 0 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("JSON layers must be 0.." + MAX_LAYERS + ", got " + layers);
        }
        this.layers = layers;
    }

    public int layers() {
        return layers;
    }

    /** Parses a message; anything but one JSON object is dirty data. */
    public static ObjectNode parse(byte[] message) {
        JsonNode node;
        try {
            node = JsonSupport.read(message == null ? new byte[0] : message);
        } catch (JsonProcessingException e) {
            throw new DirtyDataException("not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
            throw new DirtyDataException("top-level JSON must be an object, got " + type);
        }
        return (ObjectNode) node;
    }

    /**
     * Parse then flatten, in one streaming pass: the fields go straight into the map and only values kept as JSON
     * text (objects at the layer limit, arrays) are read as trees. Same result as {@code flatten(parse(message))},
     * without building the whole tree first (the tree cost more than all type conversions of a record together).
     */
    public LinkedHashMap<String, Object> flatten(byte[] message) {
        if (layers == 0) {
            return flatten(parse(message));
        }
        byte[] bytes = message == null ? new byte[0] : message;
        try (JsonParser p = JsonSupport.MAPPER.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new JsonSupport.EmptyInputException();
            }
            if (first != JsonToken.START_OBJECT) {
                // the same checks and messages as the tree path, which reads the whole document
                return flatten(parse(bytes));
            }
            LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
            expand(p, "", 1, fields);
            if (p.nextToken() != null) {
                return flatten(parse(bytes)); // trailing tokens: let the tree path word the error
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new DirtyDataException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory input: cannot happen
        }
    }

    /** Reads the fields of the object whose START_OBJECT was just read, up to its END_OBJECT. */
    private void expand(JsonParser p, String prefix, int depth, Map<String, Object> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String path = prefix + p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT && depth < layers) {
                expand(p, path + ".", depth + 1, out);
                continue;
            }
            out.put(path, switch (t) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getBigIntegerValue() : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> JsonSupport.compact(SUBTREE.readTree(p)); // object at the limit, array
            });
        }
    }

    public LinkedHashMap<String, Object> flatten(ObjectNode message) {
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        if (layers == 0) {
            fields.put(VALUE_FIELD, JsonSupport.compact(message));
        } else {
            expand(message, "", 1, fields);
        }
        return fields;
    }

    private void expand(JsonNode object, String prefix, int depth, Map<String, Object> out) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject() && depth < layers) {
                expand(value, path + ".", depth + 1, out);
            } else {
                out.put(path, scalar(value));
            }
        }
    }

    private static Object scalar(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            // A DecimalNode carries the exact text; a double node (only from foreign trees) is
            // converted via its shortest decimal form rather than its binary expansion.
            if (node.isBigDecimal()) {
                return node.decimalValue();
            }
            return Double.isFinite(node.doubleValue()) ? new BigDecimal(node.asText()) : node.doubleValue();
        }
        return JsonSupport.compact(node); // object at the layer limit, array, or binary
    }
}
