package io.sluice.link;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The states a user sees for a link (the seeds' "sync task" states). */
public enum LinkState {
    /** Reading and writing. */
    RUNNING,
    /** Suspended by the user; its position is kept and resume continues from it. */
    PAUSED,
    /** Not running; start continues from the last committed position. */
    STOPPED,
    /** Could not start, or its last attempt to move records failed; see the last error. */
    FAILED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
