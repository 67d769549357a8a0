package io.sluice.base;

/**
 * One item of a link's precheck (what must hold before it can start).
 *
 * @param item   what is checked, e.g. {@code binlog_format}
 * @param status {@code pass}, {@code fail}, or {@code unreachable}: a server the item needs did not answer, which may
 *               pass by itself (a start refused for it is retried, and the link shows {@code retrying}, not
 *               {@code failed})
 * @param detail what was found
 * @param fix    what to do about a failure; null when it passed
 */
public record PrecheckItem(String item, String status, String detail, String fix) {

    public static PrecheckItem pass(String item, String detail) {
        return new PrecheckItem(item, "pass", detail, null);
    }

    public static PrecheckItem fail(String item, String detail, String fix) {
        return new PrecheckItem(item, "fail", detail, fix);
    }

    /** A server the item needs did not answer (not reachable, timed out): a failure that may pass by itself. */
    public static PrecheckItem unreachable(String item, String detail, String fix) {
        return new PrecheckItem(item, "unreachable", detail, fix);
    }

    public boolean failed() {
        return "fail".equals(status) || unreachable();
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
        StringBuilder sb = new StringBuilder("link " + link + " failed its precheck:");
        for (PrecheckItem i : items) {
            if (i.failed()) {
                sb.append(" [").append(i.item()).append("] ").append(i.detail()).append("; fix: ").append(i.fix()).append('.');
            }
        }
        return sb.toString();
    }
}
