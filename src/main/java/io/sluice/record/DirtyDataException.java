package io.sluice.record;

/**
 * A source message that can never become a row (not JSON, wrong top-level shape).
 * Unchecked so the poll loop decides centrally whether to stop or skip.
 */
public class DirtyDataException extends RuntimeException {
    public DirtyDataException(String message) {
        super(message);
    }
}
