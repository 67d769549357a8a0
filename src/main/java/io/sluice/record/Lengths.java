package io.sluice.record;

/** Storage limits of MySQL string and binary types, shared by text and binary coercion. */
final class Lengths {
    private Lengths() {
    }

    /** Byte capacity of TINY/plain/MEDIUM/LONG TEXT and BLOB; the prefix is what differs. */
    static long lobMaxBytes(String baseType) {
        if (baseType.startsWith("TINY")) {
            return 255;
        }
        if (baseType.startsWith("MEDIUM")) {
            return 16_777_215;
        }
        if (baseType.startsWith("LONG")) {
            return 4_294_967_295L;
        }
        return 65_535;
    }

    /** Fails with "has 6 characters, more than the 5 allowed" style messages. */
    static void requireAtMost(long actual, long max, String unit, Object value, Column column) {
        if (actual > max) {
            throw new ConversionException(value, column,
                    "has " + actual + " " + unit + ", more than the " + max + " allowed");
        }
    }
}
