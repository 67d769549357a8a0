package io.sluice.record;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A destination column as read from database metadata.
 *
 * @param jdbcType      a {@link java.sql.Types} constant
 * @param typeName      upper-cased on construction, e.g. "INT", "BIGINT UNSIGNED", "VARCHAR"
 * @param size          length for char/binary types, precision for DECIMAL, fractional-second
 *                      digits for temporal types where known; 0 when unknown
 * @param unsigned      also forced true when typeName contains UNSIGNED, so either source suffices
 */
public record Column(String name, int jdbcType, String typeName, int size, int scale,
                     boolean nullable, boolean hasDefault, boolean autoIncrement, boolean unsigned) {

    public Column {
        Objects.requireNonNull(name, "name");
        typeName = typeName == null ? "" : typeName.trim().toUpperCase(Locale.ROOT);
        unsigned = unsigned || typeName.contains("UNSIGNED");
    }

    /** Base type per type name: computed once, since every converted field asks for it (three regexes). */
    private static final Map<String, String> BASE_TYPES = new ConcurrentHashMap<>();

    /** Type name without modifiers or "(...)", e.g. "INT" for "INT(11) UNSIGNED"; type rules key on it. */
    public String baseType() {
        return BASE_TYPES.computeIfAbsent(typeName, Column::stripModifiers);
    }

    private static String stripModifiers(String typeName) {
        String withoutArgs = typeName.replaceAll("\\(.*?\\)", " ");
        return withoutArgs.replaceAll("\\b(UNSIGNED|SIGNED|ZEROFILL)\\b", " ").trim().replaceAll("\\s+", " ");
    }

    /** True when the database cannot supply a value itself, so NULL or omission would fail. */
    public boolean requiresValue() {
        return !nullable && !hasDefault && !autoIncrement;
    }

    /** Type as shown in messages: "VARCHAR(5)", "DECIMAL(5,2)", "INT UNSIGNED". */
    public String displayType() {
        ColumnKind kind = ColumnKind.of(this);
        String base = baseType();
        if (size > 0 && kind == ColumnKind.DECIMAL) {
            base += "(" + size + "," + scale + ")";
        } else if (size > 0 && kind.showsLength()) {
            base += "(" + size + ")";
        }
        return unsigned ? base + " UNSIGNED" : base;
    }

    /** "qty INT": column name plus type, the form used in every conversion error. */
    public String describe() {
        return name + " " + displayType();
    }
}
