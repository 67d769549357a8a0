package io.sluice.record;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Reads source values as exact decimals; every numeric column rule starts here. */
final class Numbers {
    /**
     * No MySQL numeric type needs exponents beyond this; refusing them up front keeps a short
     * input like "1e-999999999" from making BigDecimal rescaling allocate gigabytes.
     */
    private static final int MAX_SCALE = 1000;

    private Numbers() {
    }

    /**
     * Numbers as they are, numeric strings trimmed and parsed. Doubles go through their shortest
     * decimal text, never their binary expansion. {@code expected} finishes "is not ...".
     */
    static BigDecimal toDecimal(Object value, Column column, String expected) {
        BigDecimal result;
        if (value instanceof BigDecimal d) {
            result = d;
        } else if (value instanceof BigInteger i) {
            result = new BigDecimal(i);
        } else if (value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte) {
            result = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof Number || value instanceof CharSequence) {
            result = parse(value, column, expected);
        } else {
            throw new ConversionException(value, column, "is not " + expected);
        }
        if (Math.abs(result.scale()) > MAX_SCALE) {
            throw new ConversionException(value, column, "has an exponent too large to store");
        }
        return result;
    }

    /** Like {@link #toDecimal} but the value must be a whole number ("3.0" is fine, "3.5" is not). */
    static BigDecimal toIntegral(Object value, Column column) {
        BigDecimal d = toDecimal(value, column, "an integer");
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw new ConversionException(value, column, "has a non-zero fraction, not an integer");
        }
        return d;
    }

    /** Decimal digits left of the point; 0 for values below 1, so "0.05" fits DECIMAL(2,2). */
    static int integerDigits(BigDecimal d) {
        return d.signum() == 0 ? 0 : Math.max(0, d.precision() - d.scale());
    }

    private static BigDecimal parse(Object value, Column column, String expected) {
        String text = value.toString().trim();
        try {
            return new BigDecimal(text); // rejects "NaN", "Infinity", "" and hex
        } catch (NumberFormatException e) {
            throw new ConversionException(value, column, "is not " + expected);
        }
    }
}
