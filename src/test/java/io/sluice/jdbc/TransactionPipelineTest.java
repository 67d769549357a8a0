package io.sluice.jdbc;

import io.sluice.devservices.EmbeddedMariaDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer lanes of one batch on the real MariaDB (REPEATABLE READ, the server's default): a lane that finished its
 * writes must not sit in its open transaction holding locks another lane of the same batch waits for. Lock waits are
 * cut to 2 s, so the old behaviour (commit only after every lane finished) shows as a lock wait timeout (1205).
 */
class TransactionPipelineTest {

    static MariaDbServer server;
    static DataSource ds;

    @BeforeAll
    static void start() throws Exception {
        server = MariaDbServer.start();
        server.exec("DROP DATABASE IF EXISTS lanes", "CREATE DATABASE lanes");
        ds = server.dataSource("lanes", EmbeddedMariaDb.ADMIN_USER, EmbeddedMariaDb.ADMIN_PASSWORD,
                "&sessionVariables=innodb_lock_wait_timeout=2");
    }

    @BeforeEach
    void freshTable() throws Exception {
        server.exec("DROP TABLE IF EXISTS lanes.t", "CREATE TABLE lanes.t (id INT PRIMARY KEY, version INT NOT NULL)");
    }

    private static BatchWriter upsert() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return new BatchWriter(ds, TableSchemaReader.read(c, "lanes", "t"), List.of("id", "version"), WriteMode.UPSERT);
        }
    }

    private static List<Object[]> rows(int version, int... ids) {
        List<Object[]> rows = new ArrayList<>();
        for (int id : ids) {
            rows.add(new Object[]{(long) id, (long) version});
        }
        return rows;
    }

    private static long query(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aLaneThatFinishedItsWritesCommitsInsteadOfHoldingTheLockAnotherLaneWaitsFor() throws Exception {
        BatchWriter w = upsert();
        w.write(rows(1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        try (TransactionPipeline pipeline = new TransactionPipeline("lanes.t", 2);
             TransactionPipeline.Tx tx = pipeline.begin(ds)) {
            // lane 0 upserts the last key of the primary-key index and is done: it holds that row's lock
            tx.submit(0, w, rows(2, 9, 10));
            Thread.sleep(500); // a two-row upsert takes milliseconds: lane 0 is done and idle in its transaction
            // lane 1 needs the lock lane 0 holds (a row at the end of the index); it waits inside InnoDB
            tx.submit(1, w, rows(3, 10, 11, 12));
            long started = System.nanoTime();
            tx.commit(); // before the fix: lane 0 committed only after lane 1's writes, which waited for lane 0 -> 1205
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(ms < 2_000, "the batch committed without running into the lock wait timeout: " + ms + " ms");
        }
        assertEquals(12, query("SELECT COUNT(*) FROM lanes.t"));
        // lane 1 wrote id 10 after lane 0 (were the machine so slow that lane 0 came second, it would be 2: the
        // lanes would still not stall, which is what this test is about)
        assertTrue(List.of(2L, 3L).contains(query("SELECT version FROM lanes.t WHERE id = 10")));
        assertEquals(2, query("SELECT version FROM lanes.t WHERE id = 9"));
    }

    /**
     * A lane that fails after another lane committed: the error must not claim that nothing of the batch was written
     * (the committed lane's rows are in the table), and must say that writing the batch again is what follows.
     */
    @Test
    void aFailureAfterAnotherLaneCommittedSaysThePartWasWritten() throws Exception {
        BatchWriter w = upsert();
        w.write(rows(1, 100));
        try (Connection holder = ds.getConnection(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.executeUpdate("UPDATE lanes.t SET version = 0 WHERE id = 100"); // held until the lock wait timeout
            try (TransactionPipeline pipeline = new TransactionPipeline("lanes.t", 2);
                 TransactionPipeline.Tx tx = pipeline.begin(ds)) {
                tx.submit(0, w, rows(2, 1, 2));
                tx.submit(1, w, rows(2, 100));
                SinkWriteException e = assertThrows(SinkWriteException.class, tx::commit);
                assertFalse(e.getMessage().contains("nothing of it was written"), e.getMessage());
                assertTrue(e.getMessage().contains("1 of 2 writer connections had committed"), e.getMessage());
            } finally {
                holder.rollback();
            }
        }
        assertEquals(2, query("SELECT COUNT(*) FROM lanes.t WHERE id IN (1, 2)"), "lane 0's rows stay committed");
    }

    /**
     * Two lanes upserting disjoint keys (split by key as the sink does) at the end of the primary-key index, many new
     * and some existing, statement by statement in parallel: under REPEATABLE READ the lanes take next-key locks on the
     * index's supremum that the other lane's inserts wait for (MariaDB 11.4: lock wait timeouts in 3 of 4 runs of
     * this workload with the old pipeline). Every batch must commit at once, and the table hold the last version.
     */
    @Test
    void lanesUpsertingAtTheEndOfTheIndexInParallelNeverStallEachOther() throws Exception {
        BatchWriter w = upsert();
        Random random = new Random(2);
        int[] newest = new int[40_000];
        try (TransactionPipeline pipeline = new TransactionPipeline("lanes.t", 2)) {
            int top = 0;
            for (int batch = 1; batch <= 6; batch++) {
                top += 5_000;
                List<List<Object[]>> lanes = List.of(new ArrayList<>(), new ArrayList<>());
                for (int i = 0; i < 5_000; i++) {
                    int id = random.nextInt(top);
                    newest[id] = batch * 10_000 + i;
                    lanes.get(id % 2).add(new Object[]{(long) id, (long) newest[id]});
                }
                long started = System.nanoTime();
                try (TransactionPipeline.Tx tx = pipeline.begin(ds)) {
                    for (int from = 0; from < 2_500; from += 500) {
                        for (int lane = 0; lane < 2; lane++) {
                            List<Object[]> l = lanes.get(lane);
                            tx.submit(lane, w, l.subList(Math.min(from, l.size()), Math.min(from + 500, l.size())));
                        }
                    }
                    for (int lane = 0; lane < 2; lane++) {
                        List<Object[]> l = lanes.get(lane);
                        if (l.size() > 2_500) {
                            tx.submit(lane, w, l.subList(2_500, l.size()));
                        }
                    }
                    tx.commit();
                }
                long ms = (System.nanoTime() - started) / 1_000_000;
                assertTrue(ms < 2_000, "batch " + batch + " took " + ms + " ms");
            }
        }
        long expected = java.util.Arrays.stream(newest).filter(v -> v > 0).count();
        assertEquals(expected, query("SELECT COUNT(*) FROM lanes.t"));
        long wrong = 0;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT id, version FROM lanes.t")) {
            while (rs.next()) {
                wrong += rs.getInt(2) == newest[rs.getInt(1)] ? 0 : 1;
            }
        }
        assertEquals(0, wrong, "rows not at their last version");
    }

    @Test
    void theLanesWriteUnderReadCommittedAndGiveThePooledConnectionBackAsItWas() throws Exception {
        BatchWriter w = upsert();
        try (Connection real = ds.getConnection()) {
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, real.getTransactionIsolation());
            List<Integer> isolations = new ArrayList<>();
            DataSource single = singleConnection(real, isolations);
            try (TransactionPipeline pipeline = new TransactionPipeline("lanes.t", 1);
                 TransactionPipeline.Tx tx = pipeline.begin(single)) {
                tx.submit(0, w, rows(1, 1, 2));
                tx.commit();
            }
            assertEquals(List.of(Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ), isolations,
                    "written under READ COMMITTED, then the connection's own isolation restored");
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, real.getTransactionIsolation());
            assertTrue(real.getAutoCommit());
        }
        assertEquals(2, query("SELECT COUNT(*) FROM lanes.t"));
    }

    /** A DataSource handing out one connection whose close() only marks it returned (a pool's view of it). */
    private static DataSource singleConnection(Connection real, List<Integer> isolations) {
        Connection handle = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    if (method.getName().equals("setTransactionIsolation")) {
                        isolations.add((Integer) args[0]);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new DataSource() {
            public Connection getConnection() {
                return handle;
            }

            public Connection getConnection(String u, String p) {
                return handle;
            }

            public PrintWriter getLogWriter() {
                return null;
            }

            public void setLogWriter(PrintWriter out) {
            }

            public void setLoginTimeout(int seconds) {
            }

            public int getLoginTimeout() {
                return 0;
            }

            public Logger getParentLogger() {
                return null;
            }

            public <T> T unwrap(Class<T> iface) {
                return null;
            }

            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
