package io.sluice.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * Debezium offsets and schema history of binlog links in a MySQL-protocol database, shared by any number of links and
 * instances: Debezium's {@code JdbcOffsetBackingStore} and {@code JdbcSchemaHistory} (debezium-storage-jdbc) on two
 * tables, {@value #OFFSETS_TABLE} and {@value #SCHEMA_HISTORY_TABLE}, with a {@code link_id} column.
 * <p>
 * Debezium's own statements are not keyed: its offset store writes a flush as {@code DELETE FROM <table>} plus the
 * store's rows, so two links on one table would erase each other's positions, and its schema history reads every
 * row of its table. Every statement is therefore given here (the stores take them as settings), each restricted to
 * the link's rows: a link reads, replaces and appends only rows with its own {@code link_id}. The same link id on
 * another instance continues from the same rows (that is the point of a shared store).
 */
public final class JdbcStateStore {

    public static final String OFFSETS_TABLE = "sluice_binlog_offsets";
    public static final String SCHEMA_HISTORY_TABLE = "sluice_binlog_schema_history";
    /** Where a link's full load began, while one is not known to be complete (binlog/FullLoadStart): one row per link. */
    public static final String FULL_LOAD_TABLE = "sluice_binlog_full_load";

    // DATETIME(3): Debezium orders rows by their insert time (milliseconds), then a per-process sequence
    private static final String OFFSETS_DDL = "CREATE TABLE IF NOT EXISTS %s (id VARCHAR(36) NOT NULL, "
            + "link_id VARCHAR(255) NOT NULL, offset_key TEXT, offset_val TEXT, record_insert_ts DATETIME(3) NOT NULL, "
            + "record_insert_seq INTEGER NOT NULL, PRIMARY KEY (id), KEY link_id (link_id))";
    private static final String SCHEMA_HISTORY_DDL = "CREATE TABLE IF NOT EXISTS %s (id VARCHAR(36) NOT NULL, "
            + "link_id VARCHAR(255) NOT NULL, history_data MEDIUMTEXT, history_data_seq INTEGER NOT NULL, "
            + "record_insert_ts DATETIME(3) NOT NULL, record_insert_seq INTEGER NOT NULL, "
            + "PRIMARY KEY (id, history_data_seq), KEY link_id (link_id))";
    private static final String FULL_LOAD_DDL = "CREATE TABLE IF NOT EXISTS %s (link_id VARCHAR(255) NOT NULL, "
            + "state MEDIUMTEXT NOT NULL, PRIMARY KEY (link_id))";

    private final String url;
    private final String user;
    private final String password;

    public JdbcStateStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Whether the URL names a database this store can write to (its statements are MySQL's). */
    public static boolean supports(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:");
    }

    /** The state database, as written in the URL without its options (which could hold a password). */
    public String where() {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        return base.replaceAll("//[^/@]*@", "//");
    }

    /**
     * Connects and creates the two tables if they are missing, and returns the state server's {@link #serverIdentity};
     * what fails (unreachable, wrong password, no database in the URL, no CREATE privilege) is thrown.
     */
    public String prepare() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(OFFSETS_DDL.formatted(OFFSETS_TABLE));
            st.execute(SCHEMA_HISTORY_DDL.formatted(SCHEMA_HISTORY_TABLE));
            st.execute(FULL_LOAD_DDL.formatted(FULL_LOAD_TABLE));
            return serverIdentity(c);
        }
    }

    private Connection connect() throws SQLException {
        return connect(10_000, 30_000);
    }

    private Connection connect(int connectTimeoutMs, int socketTimeoutMs) throws SQLException {
        Properties p = new Properties();
        credentials(p, "");
        p.setProperty("connectTimeout", String.valueOf(connectTimeoutMs));
        p.setProperty("socketTimeout", String.valueOf(socketTimeoutMs));
        return DriverManager.getConnection(url, p);
    }

    /** Connects and disconnects, waiting at most {@code timeoutMs} for the server: whether the state database answers. */
    public void ping(int timeoutMs) throws SQLException {
        try (Connection c = connect(timeoutMs, timeoutMs)) {
            c.isValid(Math.max(1, timeoutMs / 1000));
        }
    }

    /** Link {@code link}'s full-load state ({@value #FULL_LOAD_TABLE}), or null when it has none. */
    public String loadFullLoadState(String link) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(FULL_LOAD_DDL.formatted(FULL_LOAD_TABLE));
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM " + FULL_LOAD_TABLE + " WHERE link_id = ?")) {
                ps.setString(1, link);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }
    }

    /** Replaces link {@code link}'s full-load state (one statement: the old or the new row, never none). */
    public void saveFullLoadState(String link, String state) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(FULL_LOAD_DDL.formatted(FULL_LOAD_TABLE));
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO " + FULL_LOAD_TABLE + " (link_id, state) VALUES (?, ?)")) {
                ps.setString(1, link);
                ps.setString(2, state);
                ps.executeUpdate();
            }
        }
    }

    public void deleteFullLoadState(String link) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(FULL_LOAD_DDL.formatted(FULL_LOAD_TABLE));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + FULL_LOAD_TABLE + " WHERE link_id = ?")) {
                ps.setString(1, link);
                ps.executeUpdate();
            }
        }
    }

    /**
     * What tells one MySQL/MariaDB server from another, whatever address it was reached at: its host name, port, data
     * directory and server_id.
     */
    public static String serverIdentity(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@hostname, @@port, @@datadir, @@server_id")) {
            rs.next();
            return rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3) + ":" + rs.getString(4);
        }
    }

    /** The Debezium engine settings that keep link {@code link}'s offsets and schema history in this store. */
    public Properties debeziumProperties(String link) {
        // the statements go through String.format (table name) and are SQL text: the link id is a quoted literal
        String id = "'" + link.replace("\\", "\\\\").replace("'", "''").replace("%", "%%") + "'";
        Properties p = new Properties();
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        connection(p, "offset.storage.jdbc.connection.");
        p.setProperty("offset.storage.jdbc.table.name", OFFSETS_TABLE);
        p.setProperty("offset.storage.jdbc.table.ddl", OFFSETS_DDL);
        p.setProperty("offset.storage.jdbc.table.select", "SELECT id, offset_key, offset_val FROM %s WHERE link_id = "
                + id + " ORDER BY record_insert_ts, record_insert_seq");
        p.setProperty("offset.storage.jdbc.table.delete", "DELETE FROM %s WHERE link_id = " + id);
        p.setProperty("offset.storage.jdbc.table.insert", "INSERT INTO %s (id, link_id, offset_key, offset_val, "
                + "record_insert_ts, record_insert_seq) VALUES (?, " + id + ", ?, ?, ?, ?)");

        p.setProperty("schema.history.internal", "io.debezium.storage.jdbc.history.JdbcSchemaHistory");
        connection(p, "schema.history.internal.jdbc.connection.");
        p.setProperty("schema.history.internal.jdbc.table.name", SCHEMA_HISTORY_TABLE);
        p.setProperty("schema.history.internal.jdbc.table.ddl", SCHEMA_HISTORY_DDL);
        p.setProperty("schema.history.internal.jdbc.table.select", "SELECT id, history_data FROM %s WHERE link_id = "
                + id + " ORDER BY record_insert_ts, record_insert_seq, id, history_data_seq");
        p.setProperty("schema.history.internal.jdbc.table.exists", "SELECT id FROM %s WHERE link_id = " + id + " LIMIT 1");
        p.setProperty("schema.history.internal.jdbc.table.insert", "INSERT INTO %s (id, link_id, history_data, "
                + "history_data_seq, record_insert_ts, record_insert_seq) VALUES (?, " + id + ", ?, ?, ?, ?)");
        return p;
    }

    private void connection(Properties p, String prefix) {
        p.setProperty(prefix + "url", url);
        credentials(p, prefix);
    }

    private void credentials(Properties p, String prefix) {
        if (user != null) {
            p.setProperty(prefix + "user", user);
        }
        if (password != null) {
            p.setProperty(prefix + "password", password);
        }
    }
}
