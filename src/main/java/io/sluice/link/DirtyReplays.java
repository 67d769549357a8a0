package io.sluice.link;

import io.sluice.base.DirtyDataChannel;
import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.jboss.logging.Logger;

/**
 * POST /api/links/{id}/dirty/replay: hands the link's stored dirty records back to its sink, which converts them
 * again with the link's current definition and writes those that now convert ({@link DirtyDataChannel#replayDirty}).
 * Works whether the link runs or not; the run log says what it did.
 */
@ApplicationScoped
public class DirtyReplays {

    private static final Logger LOG = Logger.getLogger(DirtyReplays.class);

    @Inject
    CamelContext camel;

    @Inject
    Links links;

    @Inject
    LinkStatsRegistry stats;

    public DirtyDataChannel.Replay replay(String id) {
        links.state(id); // 404 for a link that does not exist
        DirtyDataChannel channel = LinkDefinitions.sinkOf(camel, id, DirtyDataChannel.class);
        if (channel == null) {
            throw LinkException.conflict("link '" + id + "' has no dead-letter channel to replay: only links into an "
                    + "adb sink keep dirty records");
        }
        DirtyDataChannel.Replay done;
        try {
            done = channel.replayDirty(id);
        } catch (DirtyDataChannel.NotReplayable | LinkHaltException e) {
            // a Kafka dead-letter topic, a replay already running, or a destination that needs a fix first
            throw LinkException.conflict(SecretMasker.maskText(e.getMessage()));
        } catch (RuntimeException e) {
            String message = "could not replay the dirty records of link '" + id + "': " + Errors.describe(e);
            LOG.warn(SecretMasker.maskText(message));
            throw new LinkException(502, SecretMasker.maskText(message));
        }
        String summary = "dirty data replayed: " + done.replayed() + " record(s) written, " + done.stillDirty()
                + " still dirty";
        stats.of(id).runLog().add("replay", summary);
        LOG.infof("link %s: %s", id, summary);
        return done;
    }
}
