package io.sluice.record;

import java.math.BigInteger;
import java.sql.Types;

/** TINYINT..BIGINT (signed or not), BIT(n > 1) and YEAR: whole numbers within the type's range. */
final class IntegerCoercion {
    private IntegerCoercion() {
    }

    /** Long, or BigInteger above Long.MAX_VALUE (only BIGINT UNSIGNED gets there). */
    static Object apply(Object value, Column column) {
        if (isBooleanLike(column)) {
            Boolean flag = BooleanCoercion.parse(value);
            if (flag != null) {
                return flag ? 1L : 0L;
            }
        } else if (value instanceof Boolean) {
            throw new ConversionException(value, column, "is a boolean, not an integer");
        }
        BigInteger whole = IntegerRange.of(column).check(Numbers.toIntegral(value, column), value, column);
        return whole.bitLength() < Long.SIZE ? (Object) whole.longValue() : whole;
    }

    /** TINYINT(1) is how MySQL spells BOOLEAN, so true/false are meaningful there and only there. */
    private static boolean isBooleanLike(Column column) {
        return column.baseType().equals("TINYINT")
                && (column.size() == 1 || column.jdbcType() == Types.BIT || column.jdbcType() == Types.BOOLEAN);
    }
}
