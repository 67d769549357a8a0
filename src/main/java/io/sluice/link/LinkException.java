package io.sluice.link;

/** A management request that cannot be carried out, with the HTTP status that says why. */
public class LinkException extends RuntimeException {

    private final int status;

    public LinkException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static LinkException notFound(String id) {
        return new LinkException(404, "no link with id '" + id + "': GET /api/links lists the links");
    }

    public static LinkException conflict(String message) {
        return new LinkException(409, message);
    }

    public static LinkException badRequest(String message) {
        return new LinkException(400, message);
    }
}
