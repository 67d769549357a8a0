package io.sluice.base;

import java.util.List;

/**
 * An endpoint (a link's source or sink) that can say whether the link can start: server settings, privileges,
 * keys, a reachable destination. {@code GET /api/links/{id}/precheck} lists the items of the source and the sinks;
 * the endpoint also runs its own items before every start and refuses the start when one fails.
 */
public interface Precheckable {

    List<PrecheckItem> precheck();
}
