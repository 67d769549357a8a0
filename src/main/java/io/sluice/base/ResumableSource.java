package io.sluice.base;

import org.apache.camel.Endpoint;

/**
 * A source endpoint whose link continues from a stored position (Kafka group offsets, SLS checkpoints, binlog offsets)
 * and can say whether a new definition of the link can continue from it. The control plane asks it before it replaces
 * a running link's definition ({@code PUT /api/links/{id}}): only the source knows what its position belongs to (a
 * topic and group, a logstore, a MySQL server and the tables whose full load is done), and a replacement that cannot
 * use it is refused rather than started from somewhere else. A changed start offset is not such a change: the sources
 * recognise it themselves as an explicit reset.
 */
public interface ResumableSource {

    /**
     * Null when a link reading from {@code replacement} (the new definition's source endpoint) continues from this
     * source's position; otherwise why it cannot, and what the user can do instead.
     */
    String positionLostBy(Endpoint replacement);
}
