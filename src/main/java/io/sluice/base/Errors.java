package io.sluice.base;

import java.util.LinkedHashSet;
import java.util.Set;

/** Renders exceptions as one line a user can act on, with secrets masked. */
public final class Errors {

    private Errors() {
    }

    /** The messages of the exception and its causes, de-duplicated, joined by ": ", secrets masked. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable c = t; c != null && parts.size() < 6; c = c.getCause()) {
            String m = c.getMessage();
            if (m == null || m.isBlank()) {
                m = c.getClass().getSimpleName();
            }
            String message = m.strip();
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return SecretMasker.maskText(String.join(": ", parts));
    }

    /** The first exception of the given type in the cause chain, or null. */
    public static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
