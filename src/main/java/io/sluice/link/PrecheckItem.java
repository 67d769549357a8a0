package io.sluice.link;

/**
 * One item of a link's precheck (what must hold before it can start).
 *
 * @param item   what is checked, e.g. {@code binlog_format}
 * @param status {@code pass} or {@code fail}
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

    public boolean failed() {
        return "fail".equals(status);
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
