package io.sluice.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorHandlingTest {

    static final String PASSWORD = "Corr3ct-Horse!";
    static final String WRONG_PASSWORD = "Wr0ng-Battery?";

    static MariaDbServer server;
    static TableSchema schema;

    @BeforeAll
    static void start() throws Exception {
        server = MariaDbServer.start();
        server.exec("DROP DATABASE IF EXISTS shop", "CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, name VARCHAR(20))",
                // anonymous accounts would shadow 'jdbc_writer'@'%' (MariaDBServer.start already removed them too)
                "DELETE FROM mysql.global_priv WHERE User=''",
                "FLUSH PRIVILEGES",
                "CREATE USER IF NOT EXISTS 'jdbc_writer'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON shop.* TO 'jdbc_writer'@'%'",
                "CREATE USER IF NOT EXISTS 'jdbc_reader'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON shop.* TO 'jdbc_reader'@'%'");
        try (Connection c = server.rootDataSource("shop").getConnection()) {
            schema = TableSchemaReader.read(c, "shop", "orders");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static List<Object[]> oneRow(int id) {
        return List.<Object[]>of(new Object[]{id, "n" + id});
    }

    static void assertNoPassword(String msg) {
        assertFalse(msg.contains(PASSWORD), msg);
        assertFalse(msg.contains(WRONG_PASSWORD), msg);
    }

    @Test
    void rightPasswordWorks() throws Exception {
        DataSource ok = server.dataSource("shop", "jdbc_writer", PASSWORD);
        assertEquals(Optional.empty(), ConnectionProbe.check(ok));
        new BatchWriter(ok, schema, List.of("id", "name"), WriteMode.UPSERT).write(oneRow(1));
    }

    @Test
    void wrongPasswordIsAnAccessErrorWithoutThePassword() throws Exception {
        DataSource bad = server.dataSource("shop", "jdbc_writer", WRONG_PASSWORD);
        BatchWriter w = new BatchWriter(bad, schema, List.of("id", "name"), WriteMode.UPSERT);
        SinkWriteException e = assertThrows(SinkWriteException.class, () -> w.write(oneRow(2)));
        assertEquals(ErrorKind.ACCESS, e.kind());
        assertEquals(1045, e.errorCode());
        assertTrue(e.getMessage().contains("check the account and password of the destination data source"),
                e.getMessage());
        assertTrue(e.getMessage().contains("shop.orders"), e.getMessage());
        assertNoPassword(e.getMessage());
        System.out.println("[message] " + e.getMessage());

        Optional<String> probe = ConnectionProbe.check(bad, Duration.ofSeconds(5));
        assertTrue(probe.isPresent());
        assertTrue(probe.get().contains("check the account and password of the destination data source"),
                probe.get());
        assertNoPassword(probe.get());
    }

    @Test
    void missingPrivilegeIsAnAccessError() throws Exception {
        DataSource reader = server.dataSource("shop", "jdbc_reader", PASSWORD);
        assertEquals(Optional.empty(), ConnectionProbe.check(reader));
        BatchWriter w = new BatchWriter(reader, schema, List.of("id", "name"), WriteMode.UPSERT);
        SinkWriteException e = assertThrows(SinkWriteException.class, () -> w.write(oneRow(3)));
        assertEquals(ErrorKind.ACCESS, e.kind(), e.getMessage());
        assertEquals(1142, e.errorCode());
    }

    @Test
    void unreachablePortIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } // closed: nothing listens there now
        DataSource down = new org.mariadb.jdbc.MariaDbDataSource(
                "jdbc:mariadb://127.0.0.1:" + port + "/shop?user=jdbc_writer&password=" + PASSWORD + "&connectTimeout=2000");
        BatchWriter w = new BatchWriter(down, schema, List.of("id", "name"), WriteMode.UPSERT);
        SinkWriteException e = assertThrows(SinkWriteException.class, () -> w.write(oneRow(4)));
        assertEquals(ErrorKind.RETRYABLE, e.kind(), e.getMessage());
        assertTrue(e.isRetryable());
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertNoPassword(e.getMessage());

        Optional<String> probe = ConnectionProbe.check(down, Duration.ofSeconds(5));
        assertTrue(probe.isPresent());
        assertTrue(probe.get().startsWith("cannot connect to the destination database"), probe.get());
        System.out.println("[message] " + e.getMessage());
        System.out.println("[probe] " + probe.get());
        assertNoPassword(probe.get());
    }

    @Test
    void probeTimesOutOnAServerThatNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts TCP (backlog) but never sends a greeting
            DataSource ds = new org.mariadb.jdbc.MariaDbDataSource(
                    "jdbc:mariadb://127.0.0.1:" + silent.getLocalPort() + "/shop?user=u&password=p");
            long t0 = System.nanoTime();
            Optional<String> probe = ConnectionProbe.check(ds, Duration.ofMillis(1500));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(probe.isPresent());
            assertTrue(probe.get().contains("within 1500 ms"), probe.get());
            assertTrue(ms < 5000, "probe took " + ms + " ms");
        }
    }

    @Test
    void lockWaitTimeoutIsRetryableAndRolledBack() throws Exception {
        server.exec("INSERT INTO shop.orders VALUES (100, 'locked') ON DUPLICATE KEY UPDATE name='locked'");
        DataSource impatient = server.dataSource("shop", "jdbc_writer", PASSWORD,
                "&sessionVariables=innodb_lock_wait_timeout=1");
        BatchWriter w = new BatchWriter(impatient, schema, List.of("id", "name"), WriteMode.UPSERT);
        try (Connection holder = server.rootDataSource("shop").getConnection()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT * FROM shop.orders WHERE id = 100 FOR UPDATE");
            }
            SinkWriteException e = assertThrows(SinkWriteException.class,
                    () -> w.write(List.of(new Object[]{101, "a"}, new Object[]{100, "b"})));
            assertEquals(ErrorKind.RETRYABLE, e.kind(), e.getMessage());
            assertEquals(1205, e.errorCode());
            holder.rollback();
        }
        try (Connection c = server.rootDataSource("shop").getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM shop.orders WHERE id = 101")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "row 101 of the failed batch must be rolled back");
        }
        w.write(List.of(new Object[]{101, "a"}, new Object[]{100, "b"})); // retry succeeds once the lock is gone
    }

    @Test
    void classificationTable() {
        assertEquals(ErrorKind.RETRYABLE, SqlErrors.classify(new SQLException("deadlock", "40001", 1213)));
        assertEquals(ErrorKind.RETRYABLE, SqlErrors.classify(new SQLException("lock wait", "HY000", 1205)));
        assertEquals(ErrorKind.RETRYABLE, SqlErrors.classify(new SQLException("gone", "HY000", 2006)));
        assertEquals(ErrorKind.RETRYABLE, SqlErrors.classify(new SQLNonTransientConnectionException("x", "08000")));
        assertEquals(ErrorKind.RETRYABLE, SqlErrors.classify(new SQLException("x", "08S01", 0)));
        assertEquals(ErrorKind.RETRYABLE,
                SqlErrors.classify(new SQLException("wrapped", null, 0, new SocketException("reset"))));
        assertEquals(ErrorKind.RETRYABLE, SqlErrors.classify(new RuntimeException(new IOException("eof"))));
        assertEquals(ErrorKind.DATA, SqlErrors.classify(new SQLException("too long", "22001", 1406)));
        assertEquals(ErrorKind.DATA, SqlErrors.classify(new SQLException("incorrect value", "HY000", 1366)));
        assertEquals(ErrorKind.DATA, SqlErrors.classify(new SQLException("dup", "23000", 1062)));
        assertEquals(ErrorKind.DATA, SqlErrors.classify(new SQLException("no default", "HY000", 1364)));
        assertEquals(ErrorKind.ACCESS, SqlErrors.classify(new SQLException("denied", "28000", 1045)));
        assertEquals(ErrorKind.ACCESS, SqlErrors.classify(new SQLException("db denied", "42000", 1044)));
        assertEquals(ErrorKind.ACCESS, SqlErrors.classify(new SQLException("table denied", "42000", 1142)));
        assertEquals(ErrorKind.OTHER, SqlErrors.classify(new SQLException("unknown column", "42S22", 1054)));
        assertEquals(ErrorKind.OTHER, SqlErrors.classify(new SQLException("syntax", "42000", 1064)));
        assertEquals(ErrorKind.DATA, SqlErrors.classify(
                new SQLException("Got a packet bigger than 'max_allowed_packet' bytes", "08S01", 1153)));
        SQLException chained = new SQLException("batch failed", "HY000", 0);
        chained.setNextException(new SQLException("too long", "22001", 1406));
        assertEquals(ErrorKind.DATA, SqlErrors.classify(chained));
    }

    @Test
    void messagesMaskSecrets() {
        String m = SqlErrors.sanitize("cannot use jdbc:mariadb://u:" + PASSWORD + "@h:3306/db?password="
                + WRONG_PASSWORD + "&user=x, pwd='abc'");
        assertNoPassword(m);
        assertFalse(m.contains("abc"), m);
        assertTrue(m.contains("password=" + io.sluice.base.SecretMasker.MASK), m);
        String denied = "Access denied for user 'jdbc_writer'@'127.0.0.1' (using password: YES)";
        assertEquals(denied, SqlErrors.sanitize(denied));
    }
}
