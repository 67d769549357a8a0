package io.sluice.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one configured Jackson mapper, so parsing and rendering agree everywhere. */
final class JsonSupport {
    /**
     * Floats parse as BigDecimal with their exact text ("1.50" stays 1.50) because values end up
     * in DECIMAL columns where a trip through double would corrupt them. Trailing garbage after
     * the document is rejected rather than silently ignored.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private JsonSupport() {
    }

    /** Parses one JSON document; empty input and trailing tokens are errors. */
    static JsonNode read(byte[] bytes) throws JsonProcessingException {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new EmptyInputException();
            }
            return node;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // in-memory input: cannot happen
        }
    }

    static boolean isJson(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && !node.isMissingNode();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Compact JSON text of any value (tree node, map, list, string...). */
    static String write(Object value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }

    /** Compact JSON text of a tree node, which Jackson can always serialise. */
    static String compact(JsonNode node) {
        try {
            return write(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** Signals empty input with a message worded like Jackson's own. */
    static final class EmptyInputException extends JsonProcessingException {
        EmptyInputException() {
            super("No content to map due to end-of-input");
        }
    }
}
