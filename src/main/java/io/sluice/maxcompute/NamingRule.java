package io.sluice.maxcompute;

/**
 * DTS's "Naming Rules of Additional Columns": the names of the columns Sluice adds to {@code _log} tables and of
 * the {@code _log} partition columns. {@link #NEW} prefixes them with {@code new_dts_sync_}; {@link #PREVIOUS} uses
 * the bare names. Source columns keep their names under both rules (as in seed 003's merge example).
 */
public enum NamingRule {
    NEW("new_dts_sync_"),
    PREVIOUS("");

    private final String prefix;

    NamingRule(String prefix) {
        this.prefix = prefix;
    }

    /** The destination name of an additional column, e.g. {@code record_id} -> {@code new_dts_sync_record_id}. */
    public String name(String additionalColumn) {
        return prefix + additionalColumn;
    }
}
