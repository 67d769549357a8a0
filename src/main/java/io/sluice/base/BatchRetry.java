package io.sluice.base;

import org.jboss.logging.Logger;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one retry loop of every source: a batch is handed to the route, and after a failure a {@link LinkHaltException}
 * halts the link, a batch that has kept failing for longer than the link's {@link RetryTime} halts it with the last
 * error, a link being stopped stops, and otherwise the failure is logged and the growing {@link Backoff} pause passes
 * before the next attempt. A success starts the pause and the retry time over.
 *
 * <p>A binlog source retries the same batch in place ({@link #untilDelivered}); a Kafka or SLS source makes one
 * attempt at a time ({@link #attempt}) and reads the batch again from the source between attempts, because a Kafka
 * consumer that does not poll for longer than its poll interval loses its partitions.
 */
public final class BatchRetry {

    private static final Logger LOG = Logger.getLogger(BatchRetry.class);

    /** What became of a batch handed to the route. */
    public enum Outcome {
        /** The route processed it: its position may be committed. */
        DONE,
        /** It failed and may succeed later: the pause is over, hand it over again. */
        RETRY,
        /** Retrying cannot help: the link halted (it shows failed with the reason); commit nothing. */
        HALTED,
        /** The link is being stopped: commit nothing, the batch is read again on start. */
        STOPPED
    }

    /** How long a batch may keep failing before the link gives up on it. */
    @FunctionalInterface
    public interface RetryTime {

        /** A link that never gives up on a batch that may still succeed. */
        RetryTime FOREVER = (failure, failingMs) -> null;

        /** The reason to halt the link after {@code failure}, the batch failing since {@code failingMs}; null to go on. */
        String exceeded(Exception failure, long failingMs);
    }

    private final String link;
    private final String unit;
    private final Backoff backoff;
    private final BooleanSupplier running;
    private final Consumer<String> halt;
    private final RetryTime retryTime;
    /** When the batch being retried first failed (0: it has not). */
    private long firstFailure;

    /**
     * @param unit    what a batch holds, for the log ("records", "changes")
     * @param running false once the link is being stopped: the pause ends early and no further attempt is made
     * @param halt    halts the link with the reason (it shows failed until started again)
     */
    public BatchRetry(String link, String unit, Backoff backoff, BooleanSupplier running, Consumer<String> halt,
                      RetryTime retryTime) {
        this.link = link;
        this.unit = unit;
        this.backoff = backoff;
        this.running = running;
        this.halt = halt;
        this.retryTime = retryTime;
    }

    /**
     * One attempt: {@code send} hands the batch of {@code size} to the route and returns its failure (null: processed).
     * On {@link Outcome#RETRY} the failure has been logged and the pause has passed.
     */
    public Outcome attempt(Supplier<Exception> send, int size) throws InterruptedException {
        return after(send.get(), size);
    }

    /**
     * Hands the batch over until it is processed, the link halts or it stops; {@code failed} is the failure of an
     * attempt already made (null: none was made), so the first attempt here is a retry.
     */
    public Outcome untilDelivered(Supplier<Exception> send, Exception failed, int size) throws InterruptedException {
        Outcome outcome = failed != null ? after(failed, size) : attempt(send, size);
        while (outcome == Outcome.RETRY) {
            outcome = attempt(send, size);
        }
        return outcome;
    }

    private Outcome after(Exception failure, int size) throws InterruptedException {
        if (failure == null) {
            backoff.reset();
            firstFailure = 0;
            return Outcome.DONE;
        }
        LinkHaltException refused = Errors.find(failure, LinkHaltException.class);
        if (refused != null) {
            halt.accept(refused.getMessage());
            return Outcome.HALTED;
        }
        long now = System.currentTimeMillis();
        firstFailure = firstFailure == 0 ? now : firstFailure;
        String giveUp = retryTime.exceeded(failure, now - firstFailure);
        if (giveUp != null) {
            halt.accept(giveUp);
            return Outcome.HALTED;
        }
        if (!running.getAsBoolean()) {
            return Outcome.STOPPED;
        }
        LOG.warnf("link %s: batch of %d %s failed, retrying in %d ms: %s", link, size, unit, backoff.currentMs(),
                Errors.describe(failure));
        backoff.pause(running);
        return running.getAsBoolean() ? Outcome.RETRY : Outcome.STOPPED;
    }
}
