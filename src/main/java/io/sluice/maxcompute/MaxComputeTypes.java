package io.sluice.maxcompute;

import com.aliyun.odps.type.CharTypeInfo;
import com.aliyun.odps.type.DecimalTypeInfo;
import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.VarcharTypeInfo;
import io.sluice.change.MySqlType;

/**
 * MySQL column type ({@link MySqlType}: the sink reads no type text) -> MaxCompute (2.0 type system) column type,
 * lossless wherever MaxCompute allows (the table is in docs/mysql-to-maxcompute.md):
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
public final class MaxComputeTypes {

    private MaxComputeTypes() {
    }

    /** The MaxCompute type for a MySQL column type; IllegalArgumentException for a type it does not know. */
    public static TypeInfo of(MySqlType type) {
        Integer length = type.length();
        boolean unsigned = type.unsigned();
        switch (type.base()) {
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
                int bits = length == null ? 1 : length;
                if (bits == 1) {
                    return TypeInfoFactory.BOOLEAN;
                }
                return bits < 64 ? TypeInfoFactory.BIGINT : TypeInfoFactory.getDecimalTypeInfo(20, 0);
            }
            case "decimal":
            case "numeric":
            case "dec":
            case "fixed": {
                int precision = length != null ? length : 10;
                int scale = type.scale() != null ? type.scale() : 0;
                if (precision <= 38 && scale <= 18) {
                    return TypeInfoFactory.getDecimalTypeInfo(precision, scale);
                }
                return TypeInfoFactory.STRING; // beyond DECIMAL(38,18): the exact text, never a rounded value
            }
            case "float":
                // float(p) with p > 24 is a DOUBLE in MySQL; float(m,d) is a FLOAT
                return length != null && type.scale() == null && length > 24 ? TypeInfoFactory.DOUBLE
                        : TypeInfoFactory.FLOAT;
            case "double":
            case "real":
                return TypeInfoFactory.DOUBLE;
            case "char":
                return TypeInfoFactory.getCharTypeInfo(length == null ? 1 : Math.max(1, length));
            case "varchar":
                return length == null || length < 1 ? TypeInfoFactory.STRING : TypeInfoFactory.getVarcharTypeInfo(length);
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
                return length == null || length <= 3 ? TypeInfoFactory.DATETIME : TypeInfoFactory.TIMESTAMP_NTZ;
            case "timestamp":
                return TypeInfoFactory.TIMESTAMP;
            case "year":
                return TypeInfoFactory.SMALLINT;
            default:
                throw new IllegalArgumentException("MySQL type '" + type.text() + "' has no MaxCompute mapping");
        }
    }

    /**
     * A MySQL type that maps back to MaxCompute type {@code mc} (for a column of an existing table that the source no
     * longer has: it is written as NULL).
     */
    static MySqlType mysqlTypeOf(TypeInfo mc) {
        return switch (mc.getOdpsType()) {
            case STRING -> MySqlType.of("longtext", null, null, null);
            case BINARY -> MySqlType.of("longblob", null, null, null);
            case BOOLEAN -> MySqlType.of("bit", 1, null, null);
            case TIMESTAMP -> MySqlType.of("timestamp", 6, null, null);
            case TIMESTAMP_NTZ -> MySqlType.of("datetime", 6, null, null);
            case DECIMAL -> MySqlType.of("decimal", ((DecimalTypeInfo) mc).getPrecision(),
                    ((DecimalTypeInfo) mc).getScale(), null);
            case VARCHAR -> MySqlType.of("varchar", ((VarcharTypeInfo) mc).getLength(), null, null);
            case CHAR -> MySqlType.of("char", ((CharTypeInfo) mc).getLength(), null, null);
            // bigint, int, smallint, tinyint, double, float, date, datetime: the same name; others have no mapping
            default -> MySqlType.of(mc.getTypeName(), null, null, null);
        };
    }
}
