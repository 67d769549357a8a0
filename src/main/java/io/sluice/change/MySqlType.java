package io.sluice.change;

import java.sql.Types;
import java.util.List;
import java.util.ArrayList;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A declared MySQL column type: base name ({@code bigint}), length or precision, scale, modifiers
 * ({@code unsigned}, {@code zerofill}) and, for ENUM and SET, the allowed values.
 *
 * @param base      lower-case type name without arguments: {@code decimal}, {@code datetime}, {@code enum}
 * @param length    display width, character length, precision or fractional-second digits; null when not declared
 * @param scale     DECIMAL scale; null when not declared
 * @param modifiers lower-case words after the type name, e.g. {@code unsigned}; empty when none
 * @param values    ENUM/SET values in declaration order; empty for other types
 */
public record MySqlType(String base, Integer length, Integer scale, String modifiers, List<String> values) {

    /** Types whose declared text never carries a length ({@code DESC} shows plain {@code blob}, {@code date}). */
    private static final List<String> WITHOUT_LENGTH = List.of("date", "tinyblob", "blob", "mediumblob", "longblob",
            "tinytext", "text", "mediumtext", "longtext", "json", "geometry", "point", "linestring", "polygon");

    /**
     * From the type name Debezium propagates ({@code BIGINT UNSIGNED}), its length, scale, and ENUM/SET values.
     */
    public static MySqlType of(String typeName, Integer length, Integer scale, List<String> values) {
        String name = typeName.trim().toLowerCase(Locale.ROOT);
        int space = name.indexOf(' ');
        String base = space < 0 ? name : name.substring(0, space);
        String modifiers = space < 0 ? "" : name.substring(space + 1).trim();
        boolean enumLike = base.equals("enum") || base.equals("set");
        return new MySqlType(base, enumLike || WITHOUT_LENGTH.contains(base) ? null : length, scale, modifiers,
                values == null ? List.of() : List.copyOf(values));
    }

    /** Type text: a name ({@code double precision} read as {@code double}), arguments in parentheses, modifier words. */
    private static final Pattern TEXT = Pattern.compile(
            "\\s*([a-z]+)(?:\\s+precision)?\\s*(?:\\((.*)\\))?\\s*([a-z\\s]*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /**
     * From the type text a DDL statement or {@code DESC table} writes: {@code bigint(20) unsigned}, {@code decimal(10,2)},
     * {@code enum('a','b,c')}, {@code DOUBLE PRECISION}. The one reader of MySQL type text; IllegalArgumentException for
     * text that is no column type.
     */
    public static MySqlType parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MySQL column type: '" + text + "'");
        }
        String base = m.group(1).toLowerCase(Locale.ROOT);
        String args = m.group(2);
        String modifiers = m.group(3).trim().replaceAll("\\s+", " ");
        String name = modifiers.isEmpty() ? base : base + " " + modifiers;
        if (base.equals("enum") || base.equals("set")) {
            return of(name, null, null, args == null ? List.of() : quotedValues(args, text));
        }
        Integer length = null;
        Integer scale = null;
        if (args != null && !args.isBlank()) {
            String[] n = args.split(",", -1);
            try {
                length = Integer.valueOf(n[0].trim());
                scale = n.length > 1 ? Integer.valueOf(n[1].trim()) : null;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MySQL column type: '" + text + "'");
            }
            if (n.length > 2) {
                throw new IllegalArgumentException("not a MySQL column type: '" + text + "'");
            }
        }
        return of(name, length, scale, List.of());
    }

    /** The values of {@code 'a','b''c'}: quoted, comma-separated, a quote doubled inside a value. */
    private static List<String> quotedValues(String args, String text) {
        List<String> values = new ArrayList<>();
        int i = 0;
        while (i < args.length()) {
            char c = args.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c != '\'') {
                throw new IllegalArgumentException("not a MySQL column type: '" + text + "'");
            }
            StringBuilder value = new StringBuilder();
            i++;
            while (true) {
                if (i >= args.length()) {
                    throw new IllegalArgumentException("not a MySQL column type: '" + text + "'");
                }
                char v = args.charAt(i++);
                if (v == '\'') {
                    if (i < args.length() && args.charAt(i) == '\'') {
                        value.append('\'');
                        i++;
                        continue;
                    }
                    break;
                }
                value.append(v);
            }
            values.add(value.toString());
        }
        return values;
    }

    public boolean unsigned() {
        return modifiers.contains("unsigned");
    }

    /** Fractional-second digits of DATETIME, TIMESTAMP and TIME (0 when not declared). */
    public int fsp() {
        return length == null ? 0 : length;
    }

    public boolean isEnum() {
        return base.equals("enum");
    }

    public boolean isSet() {
        return base.equals("set");
    }

    /** Text and binary types whose values are bytes on the wire: BINARY, VARBINARY, the BLOBs and spatial types. */
    public boolean isBinary() {
        return base.equals("binary") || base.equals("varbinary") || base.endsWith("blob") || isGeometry();
    }

    public boolean isGeometry() {
        return base.equals("geometry") || base.equals("point") || base.equals("linestring") || base.equals("polygon")
                || base.startsWith("multi") || base.equals("geometrycollection");
    }

    public boolean isText() {
        return base.endsWith("text");
    }

    /** The type as {@code DESC table} shows it: {@code decimal(65,30)}, {@code bigint(20) unsigned}, {@code enum('a','b')}. */
    public String text() {
        StringBuilder sb = new StringBuilder(base);
        if (isEnum() || isSet()) {
            sb.append(values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(",", "(", ")")));
        } else if (length != null) {
            sb.append('(').append(length);
            if (scale != null) {
                sb.append(',').append(scale);
            }
            sb.append(')');
        }
        if (!modifiers.isEmpty()) {
            sb.append(' ').append(modifiers);
        }
        return sb.toString();
    }

    /** The {@link Types} code MySQL Connector/J reports for this type. */
    public int jdbcType() {
        return switch (base) {
            case "tinyint" -> Types.TINYINT;
            case "smallint" -> Types.SMALLINT;
            case "mediumint", "int", "integer" -> Types.INTEGER;
            case "bigint" -> Types.BIGINT;
            case "decimal", "numeric" -> Types.DECIMAL;
            case "float" -> Types.REAL;
            case "double", "real" -> Types.DOUBLE;
            case "bit" -> Types.BIT;
            case "bool", "boolean" -> Types.BOOLEAN;
            case "date", "year" -> Types.DATE;
            case "datetime", "timestamp" -> Types.TIMESTAMP;
            case "time" -> Types.TIME;
            case "char", "enum", "set" -> Types.CHAR;
            case "varchar" -> Types.VARCHAR;
            case "binary" -> Types.BINARY;
            case "varbinary" -> Types.VARBINARY;
            case "tinytext", "text", "mediumtext", "longtext", "json" -> Types.LONGVARCHAR;
            case "tinyblob", "blob", "mediumblob", "longblob" -> Types.LONGVARBINARY;
            default -> isGeometry() ? Types.BINARY : Types.OTHER;
        };
    }
}
