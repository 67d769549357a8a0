package io.sluice.link;

import java.time.Instant;

/** What GET /api/links shows of a link. */
public record LinkView(
        String id,
        String description,
        String source,
        String sink,
        LinkState state,
        long recordsIn,
        long recordsOut,
        long recordsFailed,
        long recordsDirty,
        double lagSeconds,
        String lastError,
        Instant lastErrorTime,
        long uptimeSeconds) {
}
