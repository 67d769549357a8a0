package io.sluice.maxcompute;

import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL column type -> MaxCompute (2.0 type system) column type, lossless wherever MaxCompute allows
 * (the table is in README, "MySQL -> MaxCompute"):
 *
 * <ul>
 *   <li>integers go to the smallest MaxCompute integer that holds the whole range, unsigned included
 *       ({@code int unsigned} -> BIGINT); {@code bigint unsigned} (up to 2^64-1) -> DECIMAL(20,0);</li>
 *   <li>{@code decimal(p,s)} -> DECIMAL(p,s) while p <= 38 and s <= 18 (MaxCompute's limits); beyond them
 *       the exact decimal text goes to STRING rather than rounding;</li>
 *   <li>{@code datetime(0..3)} -> DATETIME (milliseconds), {@code datetime(4..6)} -> TIMESTAMP_NTZ (nanoseconds,
 *       no zone); {@code timestamp(fsp)} -> TIMESTAMP (an instant, nanoseconds);</li>
 *   <li>{@code time}, {@code enum}, {@code set}, {@code json}, texts -> STRING; {@code char(n)} -> CHAR(n),
 *       {@code varchar(n)} -> VARCHAR(n); binaries, blobs and spatial types (WKB) -> BINARY;</li>
 *   <li>{@code bit(1)} -> BOOLEAN, {@code bit(2..63)} -> BIGINT, {@code bit(64)} -> DECIMAL(20,0);
 *       {@code year} -> SMALLINT.</li>
 * </ul>
 */
public final class MySqlTypes {

    private static final Pattern TYPE = Pattern.compile(
            "\\s*([a-z]+(?:\\s+precision)?)\\s*(?:\\(([^)]*)\\))?\\s*(.*)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private MySqlTypes() {
    }

    /** The MaxCompute type for a MySQL column type text; IllegalArgumentException for a type it does not know. */
    public static TypeInfo toMaxCompute(String mysqlType) {
        Matcher m = TYPE.matcher(mysqlType.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MySQL column type: '" + mysqlType + "'");
        }
        String base = m.group(1).replaceAll("\\s+", " ");
        String args = m.group(2);
        boolean unsigned = m.group(3).contains("unsigned");
        int[] n = numbers(args);
        switch (base) {
            case "tinyint":
                return unsigned ? TypeInfoFactory.SMALLINT : TypeInfoFactory.TINYINT;
            case "smallint":
                return unsigned ? TypeInfoFactory.INT : TypeInfoFactory.SMALLINT;
            case "mediumint":
                return TypeInfoFactory.INT; // 24 bits, signed or unsigned, fits INT
            case "int":
            case "integer":
                return unsigned ? TypeInfoFactory.BIGINT : TypeInfoFactory.INT;
            case "bigint":
                return unsigned ? TypeInfoFactory.getDecimalTypeInfo(20, 0) : TypeInfoFactory.BIGINT;
            case "serial":
                return TypeInfoFactory.getDecimalTypeInfo(20, 0); // bigint unsigned
            case "bool":
            case "boolean":
                return TypeInfoFactory.TINYINT; // MySQL's BOOLEAN is tinyint(1): any -128..127 may be stored
            case "bit": {
                int bits = n.length == 0 ? 1 : n[0];
                if (bits == 1) {
                    return TypeInfoFactory.BOOLEAN;
                }
                return bits < 64 ? TypeInfoFactory.BIGINT : TypeInfoFactory.getDecimalTypeInfo(20, 0);
            }
            case "decimal":
            case "numeric":
            case "dec":
            case "fixed": {
                int precision = n.length > 0 ? n[0] : 10;
                int scale = n.length > 1 ? n[1] : 0;
                if (precision <= 38 && scale <= 18) {
                    return TypeInfoFactory.getDecimalTypeInfo(precision, scale);
                }
                return TypeInfoFactory.STRING; // beyond DECIMAL(38,18): the exact text, never a rounded value
            }
            case "float":
                // float(p) with p > 24 is a DOUBLE in MySQL; float(m,d) is a FLOAT
                return n.length == 1 && n[0] > 24 ? TypeInfoFactory.DOUBLE : TypeInfoFactory.FLOAT;
            case "double":
            case "double precision":
            case "real":
                return TypeInfoFactory.DOUBLE;
            case "char":
                return TypeInfoFactory.getCharTypeInfo(n.length == 0 ? 1 : Math.max(1, n[0]));
            case "varchar":
                return n.length == 0 || n[0] < 1 ? TypeInfoFactory.STRING : TypeInfoFactory.getVarcharTypeInfo(n[0]);
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext":
            case "enum":
            case "set":
            case "json":
            case "time":
                return TypeInfoFactory.STRING;
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
            case "geometry":
            case "point":
            case "linestring":
            case "polygon":
            case "multipoint":
            case "multilinestring":
            case "multipolygon":
            case "geometrycollection":
            case "geomcollection":
                return TypeInfoFactory.BINARY;
            case "date":
                return TypeInfoFactory.DATE;
            case "datetime":
                return n.length == 0 || n[0] <= 3 ? TypeInfoFactory.DATETIME : TypeInfoFactory.TIMESTAMP_NTZ;
            case "timestamp":
                return TypeInfoFactory.TIMESTAMP;
            case "year":
                return TypeInfoFactory.SMALLINT;
            default:
                throw new IllegalArgumentException("MySQL type '" + mysqlType + "' has no MaxCompute mapping");
        }
    }

    /**
     * The fraction digits a TIME, DATETIME or TIMESTAMP type text declares: {@code time(6)} 6, {@code time} 0. Without
     * the regular expression of {@link #toMaxCompute}: it is asked for every TIME value written.
     */
    static int fractionDigits(String mysqlType) {
        int open = mysqlType.indexOf('(');
        int close = mysqlType.indexOf(')', open + 1);
        if (open < 0 || close < 0) {
            return 0;
        }
        try {
            return Integer.parseInt(mysqlType.substring(open + 1, close).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int[] numbers(String args) {
        if (args == null || args.isBlank() || args.contains("'")) {
            return new int[0]; // enum('a','b') / set(...) carry values, not sizes
        }
        String[] parts = args.split(",");
        int[] n = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            n[i] = Integer.parseInt(parts[i].trim());
        }
        return n;
    }
}
