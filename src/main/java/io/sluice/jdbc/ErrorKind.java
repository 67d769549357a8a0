package io.sluice.jdbc;

/** How a destination database error should be handled. */
public enum ErrorKind {
    /** Transient: connection failure, deadlock, lock wait timeout, server gone. The same write can be retried. */
    RETRYABLE,
    /** The rows were rejected (too long, out of range, constraint violation...). Retrying the same rows fails again. */
    DATA,
    /** Login or privilege failure: the destination account/password or its grants must be fixed. */
    ACCESS,
    /** Anything else (syntax, missing column, unknown). */
    OTHER
}
