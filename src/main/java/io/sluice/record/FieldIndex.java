package io.sluice.record;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Case-insensitive lookup of one message's field names. The lower-case indexes are built only when an exact
 * lookup misses: most messages name their fields exactly as the columns, and this runs for every message.
 */
final class FieldIndex {
    private final Map<String, ?> fields;
    private Map<String, String> byLowerName;
    private Map<String, String> byLowerUnderscored;

    private FieldIndex(Map<String, ?> fields) {
        this.fields = fields;
    }

    private void index() {
        if (byLowerName != null) {
            return;
        }
        byLowerName = new HashMap<>();
        byLowerUnderscored = new HashMap<>();
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
        if (fields.containsKey(name)) {
            return name;
        }
        index();
        return byLowerName.get(lower(name));
    }

    /** Like {@link #find}, then a flattened path whose dots read as underscores ("user.id" for user_id). */
    String findFlattened(String name) {
        String found = find(name);
        if (found != null) {
            return found;
        }
        index();
        return byLowerUnderscored.get(lower(name));
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
