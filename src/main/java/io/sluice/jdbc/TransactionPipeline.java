package io.sluice.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one batch's statements on writer threads of their own, so the caller can prepare the next rows (parse, map,
 * convert) while the database executes the previous ones: on two cores the conversion then costs almost no wall
 * time.
 *
 * <p>A pipeline has one or more <em>lanes</em>, each a thread with its own connection and transaction. One
 * connection keeps only about half of two cores busy (client and server take turns), so a second lane nearly
 * doubles what the database can take. Statements of one lane run in submission order; the lanes run in parallel,
 * so the caller must send all rows of one key to the same lane. The lanes commit one after the other at
 * {@link Tx#commit()}: a failure between two lane commits leaves the batch partly committed, which is harmless only
 * when replaying the batch is (upsert or insert-ignore by primary key). Callers that cannot replay use one lane.
 */
public final class TransactionPipeline implements AutoCloseable {

    private final String table;
    private final List<ExecutorService> lanes;

    /** {@code table}: the destination, for thread names and messages; {@code lanes}: writer connections, >= 1. */
    public TransactionPipeline(String table, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("a transaction pipeline needs at least one lane, got " + lanes);
        }
        this.table = table;
        List<ExecutorService> threads = new ArrayList<>(lanes);
        for (int i = 0; i < lanes; i++) {
            String name = "sluice-writer-" + table + (lanes > 1 ? "-" + i : "");
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            }));
        }
        this.lanes = List.copyOf(threads);
    }

    /** The number of lanes (writer connections). */
    public int lanes() {
        return lanes.size();
    }

    /** Opens a transaction; each lane takes its connection from {@code dataSource} on its first write. */
    public Tx begin(DataSource dataSource) {
        return new Tx(dataSource);
    }

    @Override
    public void close() {
        lanes.forEach(ExecutorService::shutdownNow);
    }

    /** One transaction per lane: submit writes, then commit; closing without a commit rolls back. */
    public final class Tx implements AutoCloseable {

        private final DataSource dataSource;
        private final Lane[] open = new Lane[lanes.size()];
        private volatile RuntimeException failure;
        private boolean done;

        private Tx(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** One lane's connection and its last queued task. */
        private final class Lane {
            final ExecutorService thread;
            Connection conn;
            Future<?> last;

            Lane(ExecutorService thread) {
                this.thread = thread;
                last = thread.submit(() -> {
                    try {
                        conn = dataSource.getConnection();
                        conn.setAutoCommit(false);
                    } catch (SQLException e) {
                        fail(SinkWriteException.of(table, e, SinkWriteException.Outcome.NOT_CONNECTED));
                    }
                });
            }

            void run(Runnable task) {
                last = thread.submit(task);
            }
        }

        private synchronized void fail(RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }

        /**
         * Queues rows for {@code writer} on {@code lane} (0 .. lanes-1); a failure surfaces at {@link #commit()} (or
         * at the next submit).
         */
        public void submit(int lane, BatchWriter writer, List<Object[]> rows) {
            throwIfFailed();
            Lane l = open[lane];
            if (l == null) {
                l = open[lane] = new Lane(lanes.get(lane));
            }
            Lane self = l;
            l.run(() -> {
                if (failure == null) {
                    try {
                        writer.writeIn(self.conn, rows);
                    } catch (RuntimeException e) {
                        fail(e);
                    }
                }
            });
        }

        /**
         * Waits for every queued write, then commits each lane; throws the first failure (what was not committed is
         * rolled back when the transaction is closed).
         */
        public void commit() {
            awaitAll();
            throwIfFailed();
            for (Lane l : open) {
                if (l != null) {
                    l.run(() -> {
                        try {
                            l.conn.commit();
                        } catch (SQLException e) {
                            fail(SinkWriteException.of(table, e, SinkWriteException.Outcome.COMMIT_UNKNOWN));
                        }
                    });
                    await(l);
                    throwIfFailed();
                }
            }
            done = true;
        }

        private void throwIfFailed() {
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }

        private void awaitAll() {
            for (Lane l : open) {
                if (l != null) {
                    await(l);
                }
            }
        }

        private void await(Lane l) {
            try {
                l.last.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to " + table, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("writer thread failed for " + table, e.getCause());
            }
        }

        /** Rolls back what was not committed, and returns the connections to the pool. */
        @Override
        public void close() {
            boolean rollback = !done;
            for (Lane l : open) {
                if (l == null) {
                    continue;
                }
                l.run(() -> {
                    if (l.conn == null) {
                        return;
                    }
                    try {
                        if (rollback) {
                            l.conn.rollback();
                        }
                        l.conn.setAutoCommit(true);
                    } catch (SQLException ignored) {
                        // a broken connection: the pool evicts it
                    }
                    try {
                        l.conn.close();
                    } catch (SQLException ignored) {
                        // nothing more to do
                    }
                });
            }
            try {
                awaitAll();
            } catch (RuntimeException ignored) {
                // closing must not hide the error that made the caller close
            }
        }
    }
}
