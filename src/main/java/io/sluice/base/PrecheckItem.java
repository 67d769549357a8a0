package io.sluice.base;

/**
 * One item of a link's precheck (what must hold before it can start).
 *
 * @param item   what is checked, e.g. {@code binlog_format}
 * @param status {@code pass}, {@code fail}, {@code warn}: something that may cost data or a new full load later but
 *               does not stop the link now (never blocks a start), or {@code unreachable}: a server the item needs did
 *               not answer, which may pass by itself (a start refused for it is retried, and the link shows
 *               {@code retrying}, not {@code failed})
 * @param detail what was found
 * @param fix    what to do about a failure or a warning; null when it passed
 */
public record PrecheckItem(String item, String status, String detail, String fix) {

    public static PrecheckItem pass(String item, String detail) {
        return new PrecheckItem(item, "pass", detail, null);
    }

    public static PrecheckItem fail(String item, String detail, String fix) {
        return new PrecheckItem(item, "fail", detail, fix);
    }

    /** A finding that does not block a start (DTS's "warning" items): shown with its fix, never counted as failed. */
    public static PrecheckItem warn(String item, String detail, String fix) {
        return new PrecheckItem(item, "warn", detail, fix);
    }

    /** A server the item needs did not answer (not reachable, timed out): a failure that may pass by itself. */
    public static PrecheckItem unreachable(String item, String detail, String fix) {
        return new PrecheckItem(item, "unreachable", detail, fix);
    }

    public boolean failed() {
        return "fail".equals(status) || unreachable();
    }

    public boolean warned() {
        return "warn".equals(status);
    }

    public boolean unreachable() {
        return "unreachable".equals(status);
    }

    /**
     * Whether a start refused for these items may succeed later without a fix: every failed item is a server that did
     * not answer. Such a start is retried (the link shows {@code retrying}); any other failure needs a fix ({@code failed}).
     */
    public static boolean onlyUnreachable(java.util.List<PrecheckItem> items) {
        return items.stream().anyMatch(PrecheckItem::failed)
                && items.stream().filter(PrecheckItem::failed).allMatch(PrecheckItem::unreachable);
    }

    /** The failed items as one message (item: detail; fix: ...), for a refused start. */
    public static String failures(String link, java.util.List<PrecheckItem> items) {
        return list("link " + link + " failed its precheck:", items, PrecheckItem::failed);
    }

    /** The warnings as one message (item: detail; fix: ...), for the log of a start they do not block; null if none. */
    public static String warnings(String link, java.util.List<PrecheckItem> items) {
        return items.stream().anyMatch(PrecheckItem::warned)
                ? list("link " + link + " starts with precheck warnings:", items, PrecheckItem::warned) : null;
    }

    private static String list(String heading, java.util.List<PrecheckItem> items, java.util.function.Predicate<PrecheckItem> which) {
        StringBuilder sb = new StringBuilder(heading);
        for (PrecheckItem i : items) {
            if (which.test(i)) {
                sb.append(" [").append(i.item()).append("] ").append(i.detail()).append("; fix: ").append(i.fix()).append('.');
            }
        }
        return sb.toString();
    }
}
