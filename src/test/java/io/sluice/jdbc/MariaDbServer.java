package io.sluice.jdbc;

import io.sluice.devservices.EmbeddedMariaDb;
import io.sluice.testkit.TestServers;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The test kit's shared MariaDB, seen from the JDBC writer tests (admin account, own databases). */
final class MariaDbServer implements AutoCloseable {

    private final EmbeddedMariaDb db = TestServers.mariaDb();

    static MariaDbServer start() {
        return new MariaDbServer();
    }

    int port() {
        return db.port();
    }

    String url(String database) {
        return db.jdbcUrl(database);
    }

    DataSource rootDataSource(String database) throws SQLException {
        return dataSource(database, EmbeddedMariaDb.ADMIN_USER, EmbeddedMariaDb.ADMIN_PASSWORD);
    }

    DataSource dataSource(String database, String user, String password) throws SQLException {
        return dataSource(database, user, password, "");
    }

    /** extraOptions: further URL options, e.g. "&sessionVariables=innodb_lock_wait_timeout=1". */
    DataSource dataSource(String database, String user, String password, String extraOptions) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(url(database) + "?connectTimeout=5000" + extraOptions);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Executes statements as the admin account. */
    void exec(String... sql) throws SQLException {
        try (Connection c = rootDataSource("").getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Override
    public void close() {
        // shared by every test of this JVM; stops with it
    }
}
