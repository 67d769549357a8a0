package io.sluice.record;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Case-insensitive lookup of one message's field names; built once per message. */
final class FieldIndex {
    private final Map<String, ?> fields;
    private final Map<String, String> byLowerName = new HashMap<>();
    private final Map<String, String> byLowerUnderscored = new HashMap<>();

    private FieldIndex(Map<String, ?> fields) {
        this.fields = fields;
        for (String name : fields.keySet()) {
            // putIfAbsent: when names differ only in case, the first in message order wins.
            byLowerName.putIfAbsent(lower(name), name);
            byLowerUnderscored.putIfAbsent(lower(name.replace('.', '_')), name);
        }
    }

    static FieldIndex of(Map<String, ?> fields) {
        return new FieldIndex(fields);
    }

    /** The message's key for {@code name}: exact match first, then ignoring case; null if absent. */
    String find(String name) {
        return fields.containsKey(name) ? name : byLowerName.get(lower(name));
    }

    /** Like {@link #find}, then a flattened path whose dots read as underscores ("user.id" for user_id). */
    String findFlattened(String name) {
        String found = find(name);
        return found != null ? found : byLowerUnderscored.get(lower(name));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
