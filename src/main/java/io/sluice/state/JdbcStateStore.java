package io.sluice.state;

import io.sluice.base.ConnectionFailures;
import io.sluice.base.Errors;
import io.sluice.base.PrecheckItem;

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
    /**
     * The links' small documents ({@link StateDocument}): the full-load row of a binlog link under its id, every other
     * document under {@code <link id>/<name>}. It is the full-load table (its name is older than its other uses), so
     * that the rows of links that kept their state here before stay where they are.
     */
    public static final String DOCUMENTS_TABLE = FULL_LOAD_TABLE;

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
    private final Settings settings;
    /** The documents table was created (or found) by this store: a save is then one statement. */
    private volatile boolean documentsTableReady;

    /**
     * The names under which a user sets the store's URL, account and password, for messages: a link's own options
     * ({@link #LINK_OPTIONS}) or the application's ({@link #APPLICATION_SETTINGS}).
     */
    public record Settings(String url, String user, String password, String other) {
    }

    /** A binlog link's own stateStore=jdbc options. */
    public static final Settings LINK_OPTIONS = new Settings("stateJdbcUrl", "stateJdbcUser", "stateJdbcPassword",
            "use stateStore=file");
    /** The store of every link, {@code sluice.state.store=jdbc}. */
    public static final Settings APPLICATION_SETTINGS = new Settings("sluice.state.jdbc.url",
            "sluice.state.jdbc.username", "sluice.state.jdbc.password", "set sluice.state.store=file");

    public JdbcStateStore(String url, String user, String password) {
        this(url, user, password, LINK_OPTIONS);
    }

    public JdbcStateStore(String url, String user, String password, Settings settings) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.settings = settings;
    }

    /** Where the store's URL, account and password are set, for messages. */
    public Settings settings() {
        return settings;
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
            documentsTableReady = true;
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

    /** The document under {@code key} ({@value #DOCUMENTS_TABLE}), or null when there is none. */
    public String loadDocument(String key) throws SQLException {
        try (Connection c = connect()) {
            ensureDocumentsTable(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM " + DOCUMENTS_TABLE + " WHERE link_id = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }
    }

    /** Replaces the document under {@code key}: one statement, so the old or the new row, never none. */
    public void saveDocument(String key, String text) throws SQLException {
        try (Connection c = connect()) {
            ensureDocumentsTable(c);
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO " + DOCUMENTS_TABLE + " (link_id, state) VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, text);
                ps.executeUpdate();
            }
        }
    }

    public void deleteDocument(String key) throws SQLException {
        try (Connection c = connect()) {
            ensureDocumentsTable(c);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + DOCUMENTS_TABLE + " WHERE link_id = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Deletes everything of link {@code link} in this store, in one transaction: its documents (its id, and keys
     * {@code <link>/...}), its binlog offsets and its schema history.
     */
    public void forgetLink(String link) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(OFFSETS_DDL.formatted(OFFSETS_TABLE));
            st.execute(SCHEMA_HISTORY_DDL.formatted(SCHEMA_HISTORY_TABLE));
            ensureDocumentsTable(c);
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + DOCUMENTS_TABLE
                        + " WHERE link_id = ? OR LEFT(link_id, ?) = ?")) {
                    ps.setString(1, link);
                    ps.setInt(2, link.length() + 1);
                    ps.setString(3, link + "/");
                    ps.executeUpdate();
                }
                for (String table : new String[]{OFFSETS_TABLE, SCHEMA_HISTORY_TABLE}) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE link_id = ?")) {
                        ps.setString(1, link);
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void ensureDocumentsTable(Connection c) throws SQLException {
        if (!documentsTableReady) {
            try (Statement st = c.createStatement()) {
                st.execute(FULL_LOAD_DDL.formatted(DOCUMENTS_TABLE));
            }
            documentsTableReady = true;
        }
    }

    /**
     * The "state store" precheck item: the state database answers with the configured account and has the state
     * tables; unreachable (the link's start is retried) when it does not answer, failed when a fix is needed. With
     * {@code sourceServer} (a binlog link's source server's identity) it also fails when the state database is on
     * that server ({@code why}: what would go wrong, {@code sourceWhere}: the source's address).
     */
    public PrecheckItem precheck(String sourceServer, String sourceWhere, String why) {
        String state;
        try {
            state = prepare();
        } catch (SQLException e) {
            if (ConnectionFailures.isConnectionFailure(e)) {
                return PrecheckItem.unreachable("state store", "the state database " + where() + " (" + settings.url()
                        + ") does not answer: " + Errors.describe(e), "check that the state database runs "
                        + "and accepts connections from this host; the link retries its start meanwhile");
            }
            return PrecheckItem.fail("state store", "cannot use the state database " + where() + " (" + settings.url()
                    + "): " + Errors.describe(e), "check " + settings.url() + " (host, port and an existing database), "
                    + settings.user() + " and " + settings.password() + ", that the server accepts connections from "
                    + "this host and that the account may CREATE, SELECT, INSERT and DELETE in that database; or "
                    + settings.other());
        }
        if (sourceServer != null && state.equals(sourceServer)) {
            return PrecheckItem.fail("state store", "the state database " + where() + " (" + settings.url() + ") is on the "
                    + "link's source server " + sourceWhere + ": " + why, "put the state database on another "
                    + "MySQL/MariaDB server (" + settings.url() + "), or " + settings.other());
        }
        return PrecheckItem.pass("state store", "positions in " + where() + ", tables " + OFFSETS_TABLE + ", "
                + SCHEMA_HISTORY_TABLE + " and " + DOCUMENTS_TABLE);
    }

    /**
     * Null when the state database answers within {@code timeoutMs} (a refused login counts as answering); otherwise
     * what does not, as a link's last error.
     */
    public String unreachable(int timeoutMs) {
        try {
            ping(timeoutMs);
        } catch (SQLException e) {
            if (ConnectionFailures.isConnectionFailure(e)) {
                return "the state database " + where() + " (" + settings.url() + ") does not answer ("
                        + Errors.describe(e) + "): positions cannot be stored; check that it runs and accepts "
                        + "connections from this host; the link keeps trying";
            }
        }
        return null;
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
