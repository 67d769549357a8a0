package io.sluice.link;

import io.sluice.base.FullLoadProgress;

import java.time.Instant;

/**
 * What GET /api/links shows of a link. {@code rowsPerSecond}: records out per second over the last minute;
 * {@code fullLoad}: the progress of a binlog link's full load run in this process, null when there was none;
 * {@code runner}: in a cluster, the instance elected to run the link (null for links every instance runs, and without
 * a cluster).
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
        FullLoadProgress.View fullLoad,
        String runner) {

    /** This view with {@code error} as its last error (a runner that could not be asked). */
    LinkView withError(String error) {
        return new LinkView(id, description, source, sink, state, recordsIn, recordsOut, recordsFailed, recordsDirty,
                lagSeconds, error, Instant.now(), uptimeSeconds, kind, rowsPerSecond, fullLoad, runner);
    }
}
