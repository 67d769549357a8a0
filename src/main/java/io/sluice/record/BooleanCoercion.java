package io.sluice.record;

import java.math.BigDecimal;

/** BOOLEAN / BIT(1): true/false, 1/0 and their string forms. */
final class BooleanCoercion {
    private BooleanCoercion() {
    }

    static Boolean apply(Object value, Column column) {
        Boolean flag = parse(value);
        if (flag == null) {
            throw new ConversionException(value, column, "is not a boolean (expected true/false or 1/0)");
        }
        return flag;
    }

    /** The boolean meaning of {@code value}, or null when it has none. */
    static Boolean parse(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        if (!(value instanceof Number) && !(value instanceof CharSequence)) {
            return null;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return oneOrZero(text);
    }

    private static Boolean oneOrZero(String text) {
        if (text.length() > 32) {
            return null; // no spelling of 1 or 0 worth accepting is this long
        }
        try {
            BigDecimal number = new BigDecimal(text);
            return number.compareTo(BigDecimal.ONE) == 0 ? Boolean.TRUE : number.signum() == 0 ? Boolean.FALSE : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
