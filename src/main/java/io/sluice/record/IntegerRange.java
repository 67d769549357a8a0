package io.sluice.record;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Inclusive bounds of a MySQL integer-like type, checked without overflow via BigDecimal. */
record IntegerRange(BigInteger min, BigInteger max) {

    /** Range of the column's type and signedness: TINYINT..BIGINT, BIT(n), YEAR. */
    static IntegerRange of(Column column) {
        String base = column.baseType();
        return switch (base) {
            case "TINYINT" -> bits(8, column.unsigned());
            case "SMALLINT" -> bits(16, column.unsigned());
            case "MEDIUMINT" -> bits(24, column.unsigned());
            case "INT", "INTEGER" -> bits(32, column.unsigned());
            case "BIGINT" -> bits(64, column.unsigned());
            case "BIT" -> bits(Math.max(1, column.size()), true);
            case "YEAR" -> new IntegerRange(BigInteger.valueOf(1901), BigInteger.valueOf(2155));
            default -> throw new IllegalArgumentException("not an integer type: " + base);
        };
    }

    /** Two's-complement range for signed, 0..2^bits-1 for unsigned. */
    static IntegerRange bits(int bits, boolean unsigned) {
        if (unsigned) {
            return new IntegerRange(BigInteger.ZERO, BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        }
        BigInteger half = BigInteger.ONE.shiftLeft(bits - 1);
        return new IntegerRange(half.negate(), half.subtract(BigInteger.ONE));
    }

    /** The whole number {@code d} (already fraction-checked) if inside the range. */
    BigInteger check(BigDecimal d, Object value, Column column) {
        // compareTo looks at exponents first, so even "1e900" is rejected cheaply.
        if (d.compareTo(new BigDecimal(min)) < 0 || d.compareTo(new BigDecimal(max)) > 0) {
            throw new ConversionException(value, column, "is out of range " + min + ".." + max);
        }
        return d.toBigIntegerExact();
    }
}
