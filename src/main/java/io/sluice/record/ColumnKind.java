package io.sluice.record;

/** Groups MySQL type names by the conversion rule they need; one switch instead of many string tests. */
enum ColumnKind {
    INTEGER(false), YEAR(false), DECIMAL(false), FLOATING(false),
    CHARS(true), TEXT(false), BINARY(true), BLOB(false),
    DATE(false), DATETIME(false), TIME(false), BOOLEAN(false), JSON(false), UNKNOWN(false);

    private final boolean showsLength;

    ColumnKind(boolean showsLength) {
        this.showsLength = showsLength;
    }

    /** Whether the size is a declared length worth printing, as in VARCHAR(5). */
    boolean showsLength() {
        return showsLength;
    }

    static ColumnKind of(Column column) {
        return switch (column.baseType()) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT" -> INTEGER;
            // BIT(1) is MySQL's boolean; wider BIT(n) holds an n-bit unsigned number.
            case "BIT" -> column.size() <= 1 ? BOOLEAN : INTEGER;
            case "BOOLEAN", "BOOL" -> BOOLEAN;
            case "YEAR" -> YEAR;
            case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> DECIMAL;
            case "FLOAT", "DOUBLE", "DOUBLE PRECISION", "REAL" -> FLOATING;
            case "CHAR", "VARCHAR", "NCHAR", "NVARCHAR" -> CHARS;
            case "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT" -> TEXT;
            case "BINARY", "VARBINARY" -> BINARY;
            case "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> BLOB;
            case "DATE" -> DATE;
            case "DATETIME", "TIMESTAMP" -> DATETIME;
            case "TIME" -> TIME;
            case "JSON" -> JSON;
            default -> UNKNOWN;
        };
    }
}
