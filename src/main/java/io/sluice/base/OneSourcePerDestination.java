package io.sluice.base;

/**
 * A source endpoint whose destination may be fed from only one of its sources at a time: a link whose source is of
 * the same kind but reads another source into the same destination, and is running or paused, refuses this link's
 * start (seed 000: a destination table synchronizes from only one Logstore). The control plane checks it through
 * {@link StartRules}.
 */
public interface OneSourcePerDestination {

    /** What this endpoint reads, e.g. {@code endpoint/project/logstore}; links reading the same may share a destination. */
    String source();

    /**
     * The refusal of {@code link}, which would write {@code destination}, because link {@code other} already writes it
     * from {@code otherSource}: names both links and the fix.
     */
    String conflict(String link, String destination, String other, String otherSource);
}
