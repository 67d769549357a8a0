package io.sluice.change;

import java.util.Locale;

/**
 * Capitalization of object names (databases, tables, columns) in the destination: DTS's "Capitalization of Object
 * Names in Destination Instance". {@link #DTS_DEFAULT} is the destination's own default (see
 * {@link DestinationNameCase}): lowercase for MaxCompute, the source's case for Kafka.
 */
public enum ObjectNameCase {
    DTS_DEFAULT, SOURCE, LOWERCASE, UPPERCASE;

    public static ObjectNameCase parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("objectNameCase must be dts-default, source, lowercase or uppercase, not '"
                    + s + "'");
        }
    }

    /** {@code name} in this case; {@link #DTS_DEFAULT} must be resolved first (it keeps the name). */
    public String apply(String name) {
        return switch (this) {
            case UPPERCASE -> name.toUpperCase(Locale.ROOT);
            case LOWERCASE -> name.toLowerCase(Locale.ROOT);
            case SOURCE, DTS_DEFAULT -> name;
        };
    }
}
