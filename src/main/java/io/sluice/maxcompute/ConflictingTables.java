package io.sluice.maxcompute;

import java.util.Locale;

/**
 * Processing mode of conflicting tables (DTS: "Processing Mode of Conflicting Tables"): {@code t_base} or
 * {@code t_log} already in the project, not created by this link. Applied by {@link SchemaEvolution} before anything
 * of a table is written.
 */
public enum ConflictingTables {
    /** "Precheck and Report Errors": the link stops before writing anything of the table, naming it and the fix. */
    PRECHECK,
    /**
     * "Ignore Errors and Proceed": the tables are written as they are (MaxCompute tables are append-only): the full
     * load's rows are appended to {@code t_base} after the rows already there, changes to {@code t_log}; columns
     * are matched by name (the table's order kept, source columns it lacks added, its columns the source lacks
     * written as NULL). A key both among the rows already in {@code t_base} and in the full load is there twice,
     * both as record_id 0, so the merge may give either: DTS's "full sync retains the existing record" is not
     * reproduced. Changes (record_id above 0) win over both, as DTS's "incremental sync overwrites it".
     */
    IGNORE;

    public static ConflictingTables parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("conflictingTables must be precheck or ignore, not '" + s + "'");
        }
    }
}
