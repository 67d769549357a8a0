package io.sluice.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs one batch's statements on writer threads of their own, so the caller can prepare the next rows (parse, map,
 * convert) while the database executes the previous ones: on two cores the conversion then costs almost no wall
 * time.
 *
 * <p>A pipeline has one or more <em>lanes</em>, each a thread with its own connection and transaction. One
 * connection keeps only about half of two cores busy (client and server take turns), so a second lane nearly
 * doubles what the database can take. Statements of one lane run in submission order; the lanes run in parallel,
 * so the caller must send all rows of one key to the same lane. Each lane commits on its own at
 * {@link Tx#commit()}: a failure in one lane after another lane committed leaves the batch partly committed, which is
 * harmless only when replaying the batch is (upsert or insert-ignore by primary key). Callers that cannot replay use
 * one lane.
 *
 * <p><b>The lanes of one batch must never wait on each other's locks.</b> Their keys are disjoint, but under
 * REPEATABLE READ InnoDB still lets them share locks: upserts of new keys at the end of the primary-key index run into
 * X next-key locks on the supremum pseudo-record (and gap locks before existing keys) that the other lane's
 * statements took, and an INSERT needs an insert-intention lock on exactly that gap. Measured on MariaDB 11.4 with two
 * connections upserting disjoint, mostly new keys at the end of the index: lock waits in 3 of 4 runs under
 * REPEATABLE READ, none under READ COMMITTED. Waiting is harmless while the holder keeps going; what stalled a link
 * (lock wait timeout 1205 every 50 s, retried forever) was a holder that had finished its writes and sat idle in its
 * open transaction until every other lane finished, while another lane waited for its lock: a deadlock through this
 * class that InnoDB cannot see. Two measures, each enough for that case, together so the lanes rarely wait at all:
 * <ol>
 *   <li>a lane's commit is queued right behind its last write ({@link Tx#commit()} queues all commits, then waits),
 *       so no lane holds locks while idle: a lane either runs, waits inside InnoDB (whose deadlock detection then
 *       sees every edge and fails one statement with 1213 at once, a retryable error), or has committed;</li>
 *   <li>the lanes' connections write under READ COMMITTED: InnoDB then takes no gap or next-key locks for the
 *       duplicate-key check of an upsert or insert-ignore on the primary key (record locks on the keys only, which
 *       the lanes do not share), so there is nothing at the end of the index to wait for. The pooled connection's
 *       isolation is restored before it goes back to the pool. A server that logs statements
 *       ({@code binlog_format=STATEMENT}) refuses writes under READ COMMITTED, and a server that does not know the
 *       setting (not MySQL-like) rejects it: there the lanes keep the connection's isolation and rely on (1).</li>
 * </ol>
 * The sink only writes (no reads the isolation level would change), so READ COMMITTED changes nothing of what a
 * batch does, only which locks it holds.
 */
public final class TransactionPipeline implements AutoCloseable {

    private final String table;
    private final List<ExecutorService> lanes;
    /** Per lane: System.nanoTime() when its current task (a statement or a commit) began, 0 while idle. */
    private final AtomicLongArray busySince;
    /** Whether the writer connections use READ COMMITTED: null until the first connection was asked. */
    private volatile Boolean readCommitted;

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
        this.busySince = new AtomicLongArray(lanes);
    }

    /**
     * How long the longest-running statement or commit of the batch in flight has been running, in ms (0 when no lane
     * is busy). A multi-row statement takes milliseconds; seconds mean it waits inside the database (a lock held by
     * another transaction, an overloaded or hanging server).
     */
    public long longestRunningMillis() {
        long now = System.nanoTime();
        long longest = 0;
        for (int i = 0; i < busySince.length(); i++) {
            long since = busySince.get(i);
            if (since != 0) {
                longest = Math.max(longest, now - since);
            }
        }
        return longest / 1_000_000;
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

    /**
     * Whether writes under READ COMMITTED work on this server: it must report a binlog format other than STATEMENT
     * (MySQL and MariaDB refuse InnoDB writes under READ COMMITTED with statement logging; without a binlog the
     * variable still answers). A server that does not know the variable is left alone.
     */
    static boolean readCommittedAllowed(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT @@SESSION.binlog_format")) {
            return rs.next() && !"STATEMENT".equalsIgnoreCase(rs.getString(1));
        } catch (SQLException e) {
            if (SqlErrors.classify(e) == ErrorKind.RETRYABLE) {
                throw e; // the connection broke: ask again with the next one
            }
            return false;
        }
    }

    /** One transaction per lane: submit writes, then commit; closing without a commit rolls back. */
    public final class Tx implements AutoCloseable {

        private final DataSource dataSource;
        private final Lane[] open = new Lane[lanes.size()];
        private volatile RuntimeException failure;
        /** Lanes whose commit succeeded: a failure after one of them leaves the batch partly written. */
        private final java.util.concurrent.atomic.AtomicInteger committed = new java.util.concurrent.atomic.AtomicInteger();
        private boolean done;

        private int lanesOpen() {
            int n = 0;
            for (Lane l : open) {
                n += l == null ? 0 : 1;
            }
            return n;
        }

        private Tx(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** One lane's connection and its last queued task. */
        private final class Lane {
            final int index;
            final ExecutorService thread;
            Connection conn;
            /** The connection's isolation before this transaction, to restore; -1 when unchanged. */
            int isolationBefore = -1;
            Future<?> last;

            Lane(int index) {
                this.index = index;
                this.thread = lanes.get(index);
                last = thread.submit(() -> {
                    try {
                        conn = dataSource.getConnection();
                        conn.setAutoCommit(false);
                        useReadCommitted(this);
                    } catch (SQLException e) {
                        fail(SinkWriteException.of(table, e, SinkWriteException.Outcome.NOT_CONNECTED));
                    }
                });
            }

            void run(Runnable task) {
                last = thread.submit(() -> {
                    busySince.set(index, System.nanoTime() | 1); // never 0 while busy
                    try {
                        task.run();
                    } finally {
                        busySince.set(index, 0);
                    }
                });
            }
        }

        /** Switches the lane's connection to READ COMMITTED where the server allows it (see the class comment). */
        private void useReadCommitted(Lane l) throws SQLException {
            Boolean allowed = readCommitted;
            if (allowed == null) {
                allowed = readCommitted = readCommittedAllowed(l.conn);
            }
            if (!allowed) {
                return;
            }
            try {
                int before = l.conn.getTransactionIsolation();
                if (before != Connection.TRANSACTION_READ_COMMITTED) {
                    l.conn.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    l.isolationBefore = before;
                }
            } catch (SQLException e) {
                if (SqlErrors.classify(e) == ErrorKind.RETRYABLE) {
                    throw e;
                }
                readCommitted = false; // the server refuses the setting: keep its isolation from now on
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
                l = open[lane] = new Lane(lane);
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
         * Queues each lane's commit right behind its last write, then waits for all of them; throws the first failure.
         * A lane commits only if no lane has failed by then, so a failure seen in time leaves nothing committed; a
         * lane that committed before another failed stays committed (see the class comment). What was not committed
         * is rolled back when the transaction is closed.
         */
        public void commit() {
            throwIfFailed();
            for (Lane l : open) {
                if (l != null) {
                    l.run(() -> {
                        if (failure != null || l.conn == null) {
                            return;
                        }
                        try {
                            l.conn.commit();
                            committed.incrementAndGet();
                        } catch (SQLException e) {
                            fail(SinkWriteException.of(table, e, SinkWriteException.Outcome.COMMIT_UNKNOWN));
                        }
                    });
                }
            }
            awaitAll();
            if (failure instanceof SinkWriteException f && committed.get() > 0) {
                failure = f.afterPartialCommit(committed.get(), lanesOpen());
            }
            throwIfFailed();
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
                        if (l.isolationBefore >= 0) {
                            l.conn.setTransactionIsolation(l.isolationBefore);
                        }
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
