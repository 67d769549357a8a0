package io.sluice.record;

/** What to do with a field that cannot be converted. */
public enum DirtyDataPolicy {
    /** Do not write the row; the caller stops the link so nothing is silently lost. */
    STOP,
    /** Write NULL instead of the bad value, where the column permits it. */
    NULL;

    public static final DirtyDataPolicy DEFAULT = STOP;

    /** Parses a route option: "stop" or "null", any case. */
    public static DirtyDataPolicy parse(String option) {
        return EnumOptions.parse(DirtyDataPolicy.class, option, "dirty data policy");
    }
}
