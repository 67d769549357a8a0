package io.sluice.link;

import io.sluice.base.FullLoadProgress;

import java.time.Instant;

/**
 * What GET /api/links shows of a link. {@code rowsPerSecond}: records out per second over the last minute;
 * {@code fullLoad}: the progress of a binlog link's full load run in this process, null when there was none.
 */
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
        long uptimeSeconds,
        LinkKind kind,
        double rowsPerSecond,
        FullLoadProgress.View fullLoad) {
}
