package io.sluice.jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one transaction's statements on a writer thread of its own, so the caller can prepare the next rows (parse,
 * map, convert) while the database executes the previous ones: on two cores the conversion then costs almost no
 * wall time. Statements run in submission order on one connection; nothing is visible until {@link Tx#commit()}.
 */
public final class TransactionPipeline implements AutoCloseable {

    private final String table;
    private final ExecutorService thread;

    /** {@code table}: the destination, for thread names and messages. */
    public TransactionPipeline(String table) {
        this.table = table;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-writer-" + table);
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens a transaction on a connection of {@code dataSource}; the connection is taken on the writer thread. */
    public Tx begin(DataSource dataSource) {
        return new Tx(dataSource);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** One transaction: submit writes, then commit; closing without a commit rolls back. */
    public final class Tx implements AutoCloseable {

        private Connection conn;
        private volatile RuntimeException failure;
        private Future<?> last;
        private boolean done;

        private Tx(DataSource dataSource) {
            last = thread.submit(() -> {
                try {
                    conn = dataSource.getConnection();
                    conn.setAutoCommit(false);
                } catch (SQLException e) {
                    failure = SinkWriteException.of(table, e, SinkWriteException.Outcome.NOT_CONNECTED);
                }
            });
        }

        /** Queues rows for {@code writer}; a failure surfaces at {@link #commit()} (or at the next submit). */
        public void submit(BatchWriter writer, List<Object[]> rows) {
            throwIfFailed();
            last = thread.submit(() -> {
                if (failure == null) {
                    try {
                        writer.writeIn(conn, rows);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
            });
        }

        /** Waits for every queued write, then commits; throws the first failure (the transaction is rolled back). */
        public void commit() {
            await();
            throwIfFailed();
            Future<?> commit = thread.submit(() -> {
                try {
                    conn.commit();
                } catch (SQLException e) {
                    failure = SinkWriteException.of(table, e, SinkWriteException.Outcome.COMMIT_UNKNOWN);
                }
            });
            last = commit;
            await();
            throwIfFailed();
            done = true;
        }

        private void throwIfFailed() {
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }

        private void await() {
            try {
                last.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to " + table, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("writer thread failed for " + table, e.getCause());
            }
        }

        /** Rolls back unless committed, and returns the connection to the pool. */
        @Override
        public void close() {
            boolean rollback = !done;
            Future<?> cleanup = thread.submit(() -> {
                if (conn == null) {
                    return;
                }
                try {
                    if (rollback) {
                        conn.rollback();
                    }
                    conn.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a broken connection: the pool evicts it
                }
                try {
                    conn.close();
                } catch (SQLException ignored) {
                    // nothing more to do
                }
            });
            last = cleanup;
            try {
                await();
            } catch (RuntimeException ignored) {
                // closing must not hide the error that made the caller close
            }
        }
    }
}
