package io.sluice.link;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The states a user sees for a link (the seeds' "sync task" states). */
public enum LinkState {
    /** Reading and writing. */
    RUNNING,
    /**
     * Started, but its last attempt to move records failed with an error that can pass (a server down, a timeout);
     * the same records are retried with backoff, nothing is skipped.
     */
    RETRYING,
    /** Suspended by the user; its position is kept and resume continues from it. */
    PAUSED,
    /** Not running; start continues from the last committed position. */
    STOPPED,
    /**
     * Several instances (a cluster): another instance is elected to run the link, or none is yet; this one keeps its
     * route stopped and takes it over when elected.
     */
    STANDBY,
    /** Could not start, or stopped itself on an error that needs a fix (wrong password, dirty data); see the last error. */
    FAILED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
