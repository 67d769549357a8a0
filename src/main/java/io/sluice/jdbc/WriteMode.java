package io.sluice.jdbc;

import java.util.Locale;

/** How rows are written into the destination table. */
public enum WriteMode {
    /** INSERT ... ON DUPLICATE KEY UPDATE non-key columns. */
    UPSERT("upsert"),
    /** Plain INSERT: a duplicate key fails the batch. */
    INSERT("insert"),
    /** INSERT IGNORE: rows with a duplicate key are skipped. */
    INSERT_IGNORE("insert-ignore");

    private final String configName;

    WriteMode(String configName) {
        this.configName = configName;
    }

    /** The configuration spelling: "upsert", "insert" or "insert-ignore". */
    public String configName() {
        return configName;
    }

    /** Parses "upsert", "insert", "insert-ignore" (case-insensitive; "insert_ignore" accepted too). */
    public static WriteMode parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("write mode is missing: use upsert, insert or insert-ignore");
        }
        String n = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (WriteMode m : values()) {
            if (m.configName.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown write mode '" + s + "': use upsert, insert or insert-ignore");
    }
}
