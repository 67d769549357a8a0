package io.sluice.record;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** CHAR/VARCHAR (limit in characters) and TEXT kinds (limit in UTF-8 bytes). */
final class TextCoercion {
    private TextCoercion() {
    }

    /** MySQL counts CHAR/VARCHAR length in characters, so count code points: an emoji is one. */
    static String chars(Object value, Column column) {
        String text = render(value, column);
        if (column.size() > 0 && text.length() > column.size()) { // fewer UTF-16 units never exceed
            Lengths.requireAtMost(text.codePointCount(0, text.length()), column.size(), "characters", value, column);
        }
        return text;
    }

    /** TEXT limits are in bytes of the stored (UTF-8) encoding, not characters. */
    static String text(Object value, Column column) {
        String text = render(value, column);
        long max = Lengths.lobMaxBytes(column.baseType());
        if (text.length() * 3L > max) { // a UTF-16 unit takes at most 3 UTF-8 bytes: skip short ones
            Lengths.requireAtMost(text.getBytes(StandardCharsets.UTF_8).length, max, "bytes in UTF-8", value, column);
        }
        return text;
    }

    /** Text form of any source value: JSON for structures, UTF-8 for bytes, toString otherwise. */
    static String render(Object value, Column column) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (isStructured(value)) {
            return JsonCoercion.write(value, column);
        }
        return value.toString();
    }

    /** Values with no sensible toString for storage (maps/lists from SLS, JSON trees). */
    static boolean isStructured(Object value) {
        return value instanceof Map || value instanceof Collection || value instanceof JsonNode
                || value instanceof Object[];
    }
}
