package io.sluice.base;

/**
 * Thrown by a link's sink when retrying cannot help (dirty data under policy stop, a missing table, a refused
 * password): the source stops the link without committing the position, and the link shows as failed with this
 * message until it is started again.
 */
public class LinkHaltException extends RuntimeException {

    public LinkHaltException(String message) {
        super(message);
    }

    public LinkHaltException(String message, Throwable cause) {
        super(message, cause);
    }
}
