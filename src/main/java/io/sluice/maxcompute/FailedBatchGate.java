package io.sluice.maxcompute;

import io.sluice.base.BatchId;

/**
 * Keeps a link's batches in order after a failure. The sink writes batches on a thread of its own while the source
 * sends the next ones, so when one fails, batches sent behind it may already wait. They must not be written before it:
 * their record_ids continue its group counts, and the source hands the failed batch and each one behind it again, in
 * order. So after a failure every other batch of the same delivery run is refused (not written) until the failed one
 * comes again; a batch of a new run (the source restarted reading from its stored position) opens the gate too.
 * Driven by the sink's one writing thread.
 */
final class FailedBatchGate {

    /** The batch that failed, until it comes again; null while batches pass. */
    private BatchId failed;

    /** Whether batch {@code id} may be written now (null: a source without batch ids, always). */
    boolean admits(BatchId id) {
        if (failed == null || id == null) {
            return true;
        }
        if (id.run() == failed.run() && id.sequence() != failed.sequence()) {
            return false;
        }
        failed = null;
        return true;
    }

    /** Batch {@code id}, admitted, failed. */
    void failed(BatchId id) {
        failed = id;
    }

    /** The link (re)starts: nothing failed yet. */
    void reset() {
        failed = null;
    }
}
