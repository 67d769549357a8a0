package io.sluice.binlog;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.embedded.async.AsyncEmbeddedEngine;
import io.debezium.engine.DebeziumEngine;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Frees the binlog reader thread of a closed Debezium engine. Debezium's reader waits in
 * {@code ChangeEventQueue.doEnqueue} while the queue between it and the engine's poller is full, and only an interrupt
 * ends that wait; the engine stops polling before it stops the connector, so a link stopped while it is behind (its
 * queue full, the usual state under load) left that thread waiting forever, holding a queue of change events
 * (Debezium issue dbz#1383; seen in the benchmark as one parked reader per removed link). Emptying the queue after
 * the engine closed lets the reader go on to its next read, which fails on the connection the connector closed, and
 * the thread ends. The emptied events were never marked processed: they are read again when the link starts.
 *
 * <p>The queue is a private field of Debezium's connector task (MySQL or MariaDB), found by its type: if a Debezium
 * version moves it, {@link #capture} finds none and nothing is done (the thread may then stay, as before).
 */
final class StuckReaderRelease {

    private static final Logger LOG = Logger.getLogger(StuckReaderRelease.class);
    /** How long the queue is emptied at most: the reader needs one read after its queue has room to notice. */
    private static final long MAX_MS = TimeUnit.SECONDS.toMillis(30);

    private final String link;
    private final ChangeEventQueue<?> queue;

    private StuckReaderRelease(String link, ChangeEventQueue<?> queue) {
        this.link = link;
        this.queue = queue;
    }

    /** The running engine's queue (call before closing it), or null when it cannot be found. */
    static StuckReaderRelease capture(String link, DebeziumEngine<?> engine) {
        if (!(engine instanceof AsyncEmbeddedEngine<?> async)) {
            return null;
        }
        AtomicReference<ChangeEventQueue<?>> found = new AtomicReference<>();
        try {
            async.runWithTask(task -> found.compareAndSet(null, queueOf(task)));
        } catch (RuntimeException e) {
            LOG.debugf(e, "link %s: Debezium's change event queue not found", link);
        }
        return found.get() == null ? null : new StuckReaderRelease(link, found.get());
    }

    private static ChangeEventQueue<?> queueOf(Object task) {
        for (Class<?> c = task.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (ChangeEventQueue.class.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        return (ChangeEventQueue<?>) f.get(task);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Empties the closed engine's queue on a thread of its own until it stays empty (the reader ended or was not
     * waiting), so that stopping the link does not wait for it.
     */
    void releaseInBackground() {
        Thread t = new Thread(this::drain, "sluice-binlog-release-" + link);
        t.setDaemon(true);
        t.start();
    }

    private void drain() {
        long deadline = System.currentTimeMillis() + MAX_MS;
        int emptyPolls = 0;
        long dropped = 0;
        try {
            // an empty poll waits Debezium's poll interval; two in a row: nothing is being added any more
            while (emptyPolls < 2 && System.currentTimeMillis() < deadline) {
                int n = queue.poll().size();
                dropped += n;
                emptyPolls = n == 0 ? emptyPolls + 1 : 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException readerFailed) {
            // the reader reported its closed connection through the queue: it has ended
        }
        if (dropped > 0) {
            LOG.debugf("link %s: %d change events read but not delivered before the stop were dropped; they are read again on start",
                    link, dropped);
        }
    }
}
