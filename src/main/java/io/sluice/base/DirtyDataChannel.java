package io.sluice.base;

import java.util.List;
import java.util.Map;

/** A sink endpoint with a dead-letter channel whose entries can be read back per link, and maybe replayed. */
public interface DirtyDataChannel {

    List<Map<String, Object>> dirtyRecords(String linkId, int limit);

    /**
     * Converts the link's stored dirty records again with the sink's current definition and destination, writes
     * those that now convert, removes them from the channel once written, and keeps the others with their new
     * reason. Throws {@link NotReplayable} when the channel cannot remove entries.
     */
    Replay replayDirty(String linkId);

    /**
     * What a replay did: {@code replayed} records written, {@code stillDirty} records kept, and the entries of those
     * kept (as {@link #dirtyRecords} shows them, with the new reasons).
     */
    record Replay(int replayed, int stillDirty, List<Map<String, Object>> records) {
    }

    /** The channel cannot replay (its entries cannot be removed): the message says why and what to do. */
    final class NotReplayable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotReplayable(String message) {
            super(message);
        }
    }
}
