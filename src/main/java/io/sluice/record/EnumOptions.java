package io.sluice.record;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Shared parsing of lower-case route option values into enum constants. */
final class EnumOptions {
    private EnumOptions() {
    }

    /** Case-insensitive match of {@code option} against constant names; error lists the allowed values. */
    static <E extends Enum<E>> E parse(Class<E> type, String option, String what) {
        String wanted = option == null ? "" : option.trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + option + "', allowed: " + allowed(type));
    }

    static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
