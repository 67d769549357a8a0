package io.sluice.record;

import com.fasterxml.jackson.core.JsonProcessingException;

/** JSON columns: always hand the server valid JSON text. */
final class JsonCoercion {
    private JsonCoercion() {
    }

    /**
     * A string that already is JSON (e.g. a nested object the flattener kept as text) is stored
     * as that document; any other string is stored as a JSON string literal. Numbers and
     * booleans are their JSON text; maps, lists and trees are serialised.
     */
    static String apply(Object value, Column column) {
        if (value instanceof CharSequence text) {
            String s = text.toString();
            return JsonSupport.isJson(s) ? s : write(s, column);
        }
        if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number) value).doubleValue())) {
                throw new ConversionException(value, column, "is not a finite number, JSON cannot hold it");
            }
        }
        return write(value, column);
    }

    /** Compact JSON of any value; a value Jackson cannot serialise is that value's fault. */
    static String write(Object value, Column column) {
        try {
            return JsonSupport.write(value);
        } catch (JsonProcessingException e) {
            throw new ConversionException(value, column, "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }
}
