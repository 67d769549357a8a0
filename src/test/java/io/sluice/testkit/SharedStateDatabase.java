package io.sluice.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sluice.devservices.EmbeddedMariaDb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * {@code sluice.state.store=jdbc} on the test kit's second MariaDB (the state database must not be the binlog links'
 * source server), database {@value #DATABASE}, created empty. Use it restricted to the annotated class, beside
 * {@link SluiceTestResource}.
 */
public class SharedStateDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "sluice_shared_state";

    @Override
    public Map<String, String> start() {
        return fresh(DATABASE);
    }

    /** A fresh shared state database {@code database} on the test kit's state MariaDB, as the application's settings. */
    public static Map<String, String> fresh(String database) {
        TestServers.stateMariaDb().execute("DROP DATABASE IF EXISTS " + database + "; CREATE DATABASE " + database);
        return Map.of(
                "sluice.state.store", "jdbc",
                "sluice.state.jdbc.url", TestServers.stateMariaDb().jdbcUrl(database),
                "sluice.state.jdbc.username", EmbeddedMariaDb.ADMIN_USER,
                "sluice.state.jdbc.password", EmbeddedMariaDb.ADMIN_PASSWORD);
    }

    @Override
    public void stop() {
        // the server stops with the JVM
    }

    /** The document {@code key} ({@code <link>/<name>}, or a binlog link's id) of the shared store, or null. */
    public static String document(String key) {
        return query("SELECT state FROM " + DATABASE + ".sluice_binlog_full_load WHERE link_id = ?", key);
    }

    /** How many rows of {@code table} with link_id {@code key} the shared store has. */
    public static long rows(String table, String key) {
        return Long.parseLong(query("SELECT COUNT(*) FROM " + DATABASE + "." + table + " WHERE link_id = ?", key));
    }

    /** How many rows of the shared store's tables belong to link {@code link} (its id, or keys {@code <link>/...}). */
    public static long rowsOfLink(String link) {
        long n = 0;
        for (String table : new String[]{"sluice_binlog_full_load", "sluice_binlog_offsets", "sluice_binlog_schema_history"}) {
            n += Long.parseLong(query("SELECT COUNT(*) FROM " + DATABASE + "." + table
                    + " WHERE link_id = ? OR link_id LIKE CONCAT(?, '/%')", link, link));
        }
        return n;
    }

    private static String query(String sql, String... args) {
        try (Connection c = TestServers.stateMariaDb().adminConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
