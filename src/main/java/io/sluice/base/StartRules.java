package io.sluice.base;

/**
 * Rules across links, which only the control plane can check: only it knows the other links (seed 000: a destination
 * table synchronizes from only one Logstore). A source asks while it starts, before it reads anything, so a refused link
 * reads and writes nothing; the control plane implements it.
 */
public interface StartRules {

    /** Why link {@code link} must not start now, or null when it may. */
    String refusal(String link);
}
