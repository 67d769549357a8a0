package io.sluice.record;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** DECIMAL(p,s) as BigDecimal, and FLOAT/DOUBLE as Double. */
final class DecimalCoercion {
    private DecimalCoercion() {
    }

    static BigDecimal decimal(Object value, Column column) {
        BigDecimal d = Numbers.toDecimal(value, column, "a number");
        int precision = column.size();
        if (precision <= 0) {
            return d; // precision unknown: let the server judge
        }
        int scale = Math.max(0, column.scale());
        checkIntegerDigits(d, precision - scale, value, column); // before rescaling: cheap for "1e900"
        // MySQL rounds surplus fractional digits half away from zero (= HALF_UP) instead of failing.
        BigDecimal rounded = d.setScale(scale, RoundingMode.HALF_UP);
        checkIntegerDigits(rounded, precision - scale, value, column); // 999.995 rounds to 1000.00
        return rounded;
    }

    static Double floating(Object value, Column column) {
        double d = Numbers.toDecimal(value, column, "a number").doubleValue();
        double max = column.baseType().equals("FLOAT") ? Float.MAX_VALUE : Double.MAX_VALUE;
        if (Double.isInfinite(d) || Math.abs(d) > max) {
            throw new ConversionException(value, column, "is out of range for " + column.baseType());
        }
        return d;
    }

    private static void checkIntegerDigits(BigDecimal d, int allowed, Object value, Column column) {
        if (Numbers.integerDigits(d) > allowed) {
            throw new ConversionException(value, column, "has more than " + allowed + " integer digits");
        }
    }
}
