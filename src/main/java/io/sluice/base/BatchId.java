package io.sluice.base;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which batch of a source an exchange carries: the source's delivery run (one per start of its reading) and the
 * batch's number within it. A batch handed again after a failure carries the same id, so a sink that completes
 * batches asynchronously can tell the batch it failed on coming again from batches sent behind it
 * (exchange property {@link #PROPERTY}).
 */
public record BatchId(long run, long sequence) {

    /** Exchange property holding the {@link BatchId} of the batch an exchange carries (absent: the source has none). */
    public static final String PROPERTY = "SluiceBatchId";

    private static final AtomicLong RUNS = new AtomicLong();

    /** The ids of one delivery run, numbered from 1. */
    public static final class Run {
        private final long run = RUNS.incrementAndGet();
        private long next;

        public BatchId next() {
            return new BatchId(run, ++next);
        }
    }
}
