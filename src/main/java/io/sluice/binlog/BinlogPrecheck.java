package io.sluice.binlog;

import io.sluice.base.ConnectionFailures;
import io.sluice.base.Errors;
import io.sluice.base.PrecheckItem;
import io.sluice.change.RowFilters;
import io.sluice.change.SourceTimeZone;
import io.sluice.state.JdbcStateStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source's half of the precheck, over a plain JDBC connection with the link's account: the binlog settings
 * Debezium needs, the server's time zone (not a check: what the link's batches carry), the account's privileges, a primary or unique key on every selected table (a warning with {@code tablesWithoutKey=sync}), and row filter
 * conditions that parse and name columns of their (selected) tables, the tables spelt as the source spells them. Warnings
 * (DTS's precheck alerts, which do not block a start): a binlog retention below 7 days, a replica source without
 * log_slave_updates, invisible columns in selected tables.
 */
final class BinlogPrecheck {

    private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);
    private static final List<String> GLOBAL_PRIVILEGES = List.of("REPLICATION SLAVE", "REPLICATION CLIENT", "RELOAD",
            "SHOW DATABASES");
    private static final List<String> DATABASE_PRIVILEGES = List.of("SELECT", "LOCK TABLES");
    /** DTS's minimum binlog retention for a self-managed source (RDS: 3 days; this check cannot tell RDS apart). */
    static final long RETENTION_WARN_SECONDS = 7 * 86_400L;
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR: the statement needs a privilege the account lacks. */
    private static final int ACCESS_DENIED = 1227;
    /** ER_PARSE_ERROR: a statement this server version does not know. */
    private static final int SYNTAX_ERROR = 1064;

    private final MySqlConfig.MysqlSource source;
    private final SourceTls tls;
    private final Selection selection;
    private final RowFilters filters;
    /** stateStore=jdbc; null for the file store. */
    private final JdbcStateStore stateStore;
    private ZoneId serverTimeZone;
    private Boolean serverOffersTls;
    /** tablesWithoutKey=sync: a table without a key is synchronised, the {@code primary key} item warns. */
    private boolean syncWithoutKey;
    /** What a table without a key means in the link's sink; null when the sink does not say. */
    private String sinkWithoutKey;

    BinlogPrecheck(MySqlConfig.MysqlSource source, SourceTls tls, Selection selection, RowFilters filters,
                   JdbcStateStore stateStore) {
        this.source = source;
        this.tls = tls;
        this.selection = selection;
        this.filters = filters;
        this.stateStore = stateStore;
    }

    /** The link's choice for tables without a key, and what such a table means in its sink (may be null). */
    BinlogPrecheck tablesWithoutKey(boolean sync, String sinkMeaning) {
        this.syncWithoutKey = sync;
        this.sinkWithoutKey = sinkMeaning;
        return this;
    }

    List<PrecheckItem> run() {
        List<PrecheckItem> items = new ArrayList<>();
        String where = source.host() + ":" + source.port();
        String sourceServer = null;
        try (Connection c = connect(10_000, 30_000)) {
            items.add(PrecheckItem.pass("source connection", "logged in to " + where + " as " + source.username()));
            sourceServer = JdbcStateStore.serverIdentity(c);
            String encryption = SourceTls.encryption(c);
            serverOffersTls = tls.mode() == SourceTls.Mode.DISABLED ? null : encryption != null;
            items.add(tls.encryptionItem(encryption, where));
            items.add(variable(c, "log_bin", "ON", "start the server with log_bin (e.g. --log-bin=mysql-bin) and a server_id"));
            items.add(variable(c, "binlog_format", "ROW", "SET GLOBAL binlog_format=ROW and set it in the server's config file"));
            items.add(variable(c, "binlog_row_image", "FULL", "SET GLOBAL binlog_row_image=FULL and set it in the server's config file"));
            items.add(retention(c));
            items.add(replicaUpdates(c));
            items.add(timeZone(c));
            items.add(privileges(c));
            items.add(keys(c));
            items.add(invisibleColumns(c));
            if (!filters.isEmpty()) {
                items.add(filterConditions(c));
            }
        } catch (SQLException e) {
            items.add(connectionFailure(source, tls, e));
        }
        if (stateStore != null) {
            items.add(stateStore(sourceServer));
        }
        return items;
    }

    /**
     * The "source connection" item of a connection that failed: a server that does not answer may come back (a link's
     * start is retried), a refused login needs a fix.
     */
    static PrecheckItem connectionFailure(MySqlConfig.MysqlSource source, SourceTls tls, SQLException e) {
        String where = source.host() + ":" + source.port();
        PrecheckItem refusedTls = tls.failure(e, where);
        if (refusedTls != null) {
            return refusedTls; // a certificate or a server without TLS does not fix itself: not retried as unreachable
        }
        String detail = "cannot connect to " + where + " as " + source.username() + ": " + Errors.describe(e);
        return ConnectionFailures.isConnectionFailure(e)
                ? PrecheckItem.unreachable("source connection", detail, "check that the MySQL server at " + where
                + " runs and accepts connections from this host; the link retries its start meanwhile")
                : PrecheckItem.fail("source connection", detail, "check host, port, account and password of the "
                + "MySQL data source, and that the server accepts connections from this host");
    }

    private Connection connect(int connectTimeoutMs, int socketTimeoutMs) throws SQLException {
        return MySqlConnections.open(source, tls, connectTimeoutMs, socketTimeoutMs);
    }

    /**
     * While a link streams: null when the state database (stateStore=jdbc), and with {@code sourceToo} the source
     * server, take a connection within {@code timeoutMs}; otherwise what does not answer, as the link's last error. A
     * refused login or TLS handshake counts as answering (the binlog reader's own error says more then).
     */
    String unreachable(boolean sourceToo, int timeoutMs) {
        String where = source.host() + ":" + source.port();
        try (Connection c = sourceToo ? connect(timeoutMs, timeoutMs) : null) {
            if (c != null) {
                c.isValid(Math.max(1, timeoutMs / 1000));
            }
        } catch (SQLException e) {
            if (ConnectionFailures.isConnectionFailure(e) && tls.failure(e, where) == null) {
                return "the source MySQL server " + where + " does not answer (" + Errors.describe(e) + "): check that it "
                        + "runs and accepts connections from this host; the link keeps trying and reads on from its "
                        + "stored binlog position";
            }
        }
        return stateStore != null ? stateStore.unreachable(timeoutMs) : null;
    }

    /**
     * stateStore=jdbc: the state database is reachable with the link's account, has the state tables, and is not on
     * the source server: Debezium writes the schema history while its full load holds that server's global read lock,
     * so the link would wait for itself there.
     */
    private PrecheckItem stateStore(String sourceServer) {
        return stateStore.precheck(sourceServer, source.host() + ":" + source.port(), "the full load holds that "
                + "server's global read lock while it writes the schema history there, so the link would wait for itself");
    }

    /**
     * The server's time zone, in which MySQL shows TIMESTAMP values: what a new session gets ({@code @@global.time_zone},
     * {@code SYSTEM} resolved to {@code @@system_time_zone}; this connection's session has it, so {@code NOW()} gives
     * the offset where Java does not know the name). Kept for the link's batches ({@link #serverTimeZone()}).
     */
    private PrecheckItem timeZone(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@global.time_zone, "
                + "@@system_time_zone, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())")) {
            rs.next();
            serverTimeZone = SourceTimeZone.resolve(rs.getString(1), rs.getString(2), rs.getInt(3));
            return PrecheckItem.pass("time zone", "time_zone is " + rs.getString(1) + " (system_time_zone "
                    + rs.getString(2) + "): TIMESTAMP values are shown in " + serverTimeZone);
        }
    }

    /**
     * Whether the server offered TLS to the last {@link #run()}'s connection; null when it could not connect, or when
     * the mode did not ask (disabled).
     */
    Boolean serverOffersTls() {
        return serverOffersTls;
    }

    /** The source server's time zone read by the last {@link #run()}; null when it could not connect. */
    ZoneId serverTimeZone() {
        return serverTimeZone;
    }

    private static PrecheckItem variable(Connection c, String name, String wanted, String fix) throws SQLException {
        String value = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            if (rs.next()) {
                value = rs.getString(2);
            }
        }
        return wanted.equalsIgnoreCase(value) ? PrecheckItem.pass(name, name + " is " + value)
                : PrecheckItem.fail(name, name + " is " + value + ", not " + wanted, fix);
    }

    /**
     * How long the server keeps its binary logs: {@code binlog_expire_logs_seconds} (MySQL 8, MariaDB 10.6+) when set,
     * else {@code expire_logs_days} (MariaDB may show it with decimals); 0 in both never removes them. A link stopped or
     * lagging longer than that finds its position gone and needs a new full load.
     */
    private static PrecheckItem retention(Connection c) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name "
                + "IN ('binlog_expire_logs_seconds', 'expire_logs_days')")) {
            while (rs.next()) {
                values.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
            }
        }
        double seconds = Double.parseDouble(values.getOrDefault("binlog_expire_logs_seconds", "0"));
        String setting = "binlog_expire_logs_seconds is " + values.get("binlog_expire_logs_seconds");
        if (seconds == 0) {
            seconds = Double.parseDouble(values.getOrDefault("expire_logs_days", "0")) * 86_400;
            setting = "expire_logs_days is " + values.get("expire_logs_days");
        }
        if (seconds == 0) {
            return PrecheckItem.pass("binlog retention", setting + ": binary logs are never removed by the server");
        }
        String kept = String.format(Locale.ROOT, "%.1f days", seconds / 86_400);
        if (seconds >= RETENTION_WARN_SECONDS) {
            return PrecheckItem.pass("binlog retention", setting + ": binary logs are kept " + kept);
        }
        return PrecheckItem.warn("binlog retention", setting + ": binary logs are kept only " + kept + "; a link stopped or "
                + "behind for longer loses its binlog position and needs a new full load (DTS asks for at least 7 days on a "
                + "self-managed server, 3 days on RDS)", "keep binary logs at least 7 days on a self-managed server: SET "
                + "GLOBAL binlog_expire_logs_seconds = 604800 (MySQL 5.7: expire_logs_days = 7) and set it in the server's "
                + "config file; on RDS keep the local binlog retention at least 3 days (the instance's backup settings)");
    }

    /**
     * A source that is itself a replica writes the changes it applies from its primary to its own binlog only with
     * {@code log_slave_updates} (MySQL 8: {@code log_replica_updates}, same value): without it the link misses them.
     * Whether it is a replica: {@code SHOW SLAVE STATUS} has a row. MariaDB 10.5+ wants SLAVE MONITOR for that, which
     * the CDC privileges do not include; then only a running replica is seen ({@code Slave_running}).
     */
    private static PrecheckItem replicaUpdates(Connection c) throws SQLException {
        String logUpdates = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name "
                + "IN ('log_slave_updates', 'log_replica_updates')")) {
            while (rs.next()) {
                logUpdates = rs.getString(2);
            }
        }
        if ("ON".equalsIgnoreCase(logUpdates)) {
            return PrecheckItem.pass("log_slave_updates", "log_slave_updates is ON");
        }
        String primary;
        String unseen = "";
        try {
            primary = primary(c);
        } catch (SQLException e) {
            if (e.getErrorCode() != ACCESS_DENIED) {
                throw e;
            }
            primary = runningReplica(c) ? "a primary" : null;
            unseen = " (the account may not run SHOW SLAVE STATUS, so a replica whose replication is stopped is not seen "
                    + "here: on MariaDB 10.5+ GRANT SLAVE MONITOR to check it)";
        }
        if (primary == null) {
            return PrecheckItem.pass("log_slave_updates", "log_slave_updates is " + logUpdates + "; the server is not a "
                    + "replica" + unseen);
        }
        return PrecheckItem.warn("log_slave_updates", "the server is a replica of " + primary + " and log_slave_updates is "
                + logUpdates + ": the changes it applies from its primary are not in its binlog, so the link does not "
                + "see them", "set log_slave_updates=ON (MySQL 8.0.26+: log_replica_updates) in the server's config file and "
                + "restart it, or read the binlog of the primary instead");
    }

    /**
     * The replica's primary as host:port, null when the server is no replica. SHOW REPLICA STATUS (MySQL 8.0.22+, where
     * 8.4 dropped SHOW SLAVE STATUS; MariaDB 10.5+), else SHOW SLAVE STATUS; both list the host 2nd and the port 4th.
     */
    private static String primary(Connection c) throws SQLException {
        for (String statement : List.of("SHOW REPLICA STATUS", "SHOW SLAVE STATUS")) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(statement)) {
                return rs.next() ? rs.getString(2) + ":" + rs.getString(4) : null;
            } catch (SQLException e) {
                if (e.getErrorCode() != SYNTAX_ERROR) {
                    throw e;
                }
            }
        }
        return null;
    }

    private static boolean runningReplica(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Slave_running'")) {
            return rs.next() && "ON".equalsIgnoreCase(rs.getString(2));
        }
    }

    /**
     * Invisible columns (MySQL 8.0.23+, MariaDB 10.3+) are left out of {@code SELECT *}; DTS warns that their values
     * may not be synchronised.
     */
    private PrecheckItem invisibleColumns(Connection c) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, "
                + "COLUMN_NAME FROM information_schema.COLUMNS WHERE EXTRA LIKE '%INVISIBLE%' AND TABLE_SCHEMA NOT IN ('"
                + String.join("', '", SYSTEM_DATABASES) + "') ORDER BY 1, 2, ORDINAL_POSITION")) {
            while (rs.next()) {
                if (selection.tableSelected(rs.getString(1), rs.getString(2))) {
                    found.add(rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3));
                }
            }
        }
        if (found.isEmpty()) {
            return PrecheckItem.pass("invisible columns", "no selected table has an invisible column");
        }
        return PrecheckItem.warn("invisible columns", "invisible columns in selected tables: " + String.join(", ", found)
                + "; they are left out of SELECT *, and their values may not be synchronised", "make them visible: "
                + "ALTER TABLE <table> ALTER COLUMN <column> SET VISIBLE (MySQL 8.0.23+), ALTER TABLE <table> MODIFY "
                + "<column> <its definition without INVISIBLE> (MariaDB); or leave the table out of the link's tables");
    }

    private PrecheckItem privileges(Connection c) throws SQLException {
        Set<String> global = new LinkedHashSet<>();
        Map<String, Set<String>> byDatabase = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                Matcher m = GRANT.matcher(rs.getString(1));
                if (!m.find()) {
                    continue;
                }
                Set<String> privs = new LinkedHashSet<>();
                for (String priv : m.group(1).split(",")) {
                    privs.add(priv.strip().toUpperCase(Locale.ROOT));
                }
                String on = m.group(2).replace("`", "");
                if (on.equals("*.*")) {
                    global.addAll(privs);
                } else if (on.endsWith(".*")) {
                    byDatabase.computeIfAbsent(on.substring(0, on.length() - 2).toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).addAll(privs);
                }
            }
        }
        if (global.contains("ALL PRIVILEGES") || global.contains("ALL")) {
            return PrecheckItem.pass("privileges", "the account has ALL PRIVILEGES");
        }
        // MariaDB 10.5+ names REPLICATION CLIENT "BINLOG MONITOR" and shows REPLICATION SLAVE as such
        if (global.contains("BINLOG MONITOR")) {
            global.add("REPLICATION CLIENT");
        }
        if (global.contains("REPLICATION REPLICA")) {
            global.add("REPLICATION SLAVE");
        }
        List<String> missing = new ArrayList<>();
        for (String priv : GLOBAL_PRIVILEGES) {
            if (!global.contains(priv)) {
                missing.add(priv);
            }
        }
        for (String priv : DATABASE_PRIVILEGES) {
            if (global.contains(priv)) {
                continue;
            }
            for (String db : selectedDatabases(c)) {
                if (!byDatabase.getOrDefault(db.toLowerCase(Locale.ROOT), Set.of()).contains(priv)) {
                    missing.add(priv + " on " + db);
                }
            }
        }
        if (missing.isEmpty()) {
            return PrecheckItem.pass("privileges", "the account has " + String.join(", ", GLOBAL_PRIVILEGES) + ", "
                    + String.join(", ", DATABASE_PRIVILEGES));
        }
        return PrecheckItem.fail("privileges", "the account lacks " + String.join(", ", missing),
                "GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '"
                        + source.username() + "'@'%' (on MariaDB 10.5+ REPLICATION CLIENT is BINLOG MONITOR)");
    }

    private List<String> selectedDatabases(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW DATABASES")) {
            while (rs.next()) {
                String db = rs.getString(1);
                if (!isSystem(db) && selection.databaseSelected(db)) {
                    out.add(db);
                }
            }
        }
        return out;
    }

    /** The server's own databases: never synced, and left out of the key check's query. */
    private static final List<String> SYSTEM_DATABASES = MySqlConnections.SYSTEM_DATABASES;

    private static boolean isSystem(String db) {
        return SYSTEM_DATABASES.contains(db.toLowerCase(Locale.ROOT));
    }

    /**
     * Every selected table has a primary or unique key; without one (DTS: "the destination may contain duplicate
     * records") the item fails, or with tablesWithoutKey=sync warns, saying what it means in the link's sink. First the user databases' base tables, then, one database at a
     * time (an equality on TABLE_SCHEMA lets the server open only that database's tables), the tables with a unique
     * index. One query counting the unique indexes of every table on the server in a correlated subquery took ~0.4 s
     * of each start on the test server, most of the time from adding a link to its first change (BENCHMARKS.md).
     */
    private PrecheckItem keys(Connection c) throws SQLException {
        Map<String, List<String>> selectedByDatabase = new TreeMap<>();
        String tables = "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' "
                + "AND TABLE_SCHEMA NOT IN ('" + String.join("', '", SYSTEM_DATABASES) + "') ORDER BY 1, 2";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(tables)) {
            while (rs.next()) {
                String db = rs.getString(1);
                String table = rs.getString(2);
                if (!isSystem(db) && selection.tableSelected(db, table)) {
                    selectedByDatabase.computeIfAbsent(db, d -> new ArrayList<>()).add(table);
                }
            }
        }
        int selected = 0;
        List<String> keyless = new ArrayList<>();
        String unique = "SELECT DISTINCT TABLE_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0";
        try (PreparedStatement st = c.prepareStatement(unique)) {
            for (Map.Entry<String, List<String>> db : selectedByDatabase.entrySet()) {
                Set<String> keyed = new HashSet<>();
                st.setString(1, db.getKey());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        keyed.add(rs.getString(1));
                    }
                }
                selected += db.getValue().size();
                for (String table : db.getValue()) {
                    if (!keyed.contains(table)) {
                        keyless.add(db.getKey() + "." + table);
                    }
                }
            }
        }
        String addKey = "add a primary key (ALTER TABLE <table> ADD PRIMARY KEY (<columns>)) or a unique key";
        if (!keyless.isEmpty() && !syncWithoutKey) {
            return PrecheckItem.fail("primary key", "tables without a primary or unique key: " + String.join(", ", keyless)
                    + "; without one the destination may contain duplicate records", addKey + ", leave the table out of "
                    + "the link's tables, or set tablesWithoutKey=sync on the mysql-binlog source to synchronise it "
                    + "without a key");
        }
        if (!keyless.isEmpty()) {
            return PrecheckItem.warn("primary key", "tables without a primary or unique key, synchronised "
                    + "(tablesWithoutKey=sync): " + String.join(", ", keyless) + ". Their updates and deletes carry the "
                    + "whole row before the change, but a change sent again after a failure cannot be told apart by its "
                    + "key, so the destination may contain duplicate records, and upserts by key do not apply"
                    + (sinkWithoutKey == null ? "" : ". " + sinkWithoutKey), addKey + "; the table's later changes carry "
                    + "it (remove and add the link again for a full load with the key)");
        }
        return PrecheckItem.pass("primary key", selected == 0 ? "no table is selected yet"
                : selected + " selected tables all have a primary or unique key");
    }

    private PrecheckItem filterConditions(Connection c) throws SQLException {
        Map<String, Set<String>> columns = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, "
                + "COLUMN_NAME FROM information_schema.COLUMNS ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
            while (rs.next()) {
                if (selection.tableSelected(rs.getString(1), rs.getString(2))) {
                    String name = rs.getString(1) + "." + rs.getString(2);
                    names.put(name.toLowerCase(Locale.ROOT), name);
                    columns.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                            .add(rs.getString(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> problems = new ArrayList<>(filters.problems(e -> columns.get(e.name().toLowerCase(Locale.ROOT))));
        for (RowFilters.Entry e : filters.entries()) { // the full load's statement is matched by the exact name
            String actual = names.get(e.name().toLowerCase(Locale.ROOT));
            if (actual != null && !actual.equals(e.name())) {
                problems.add(e.name() + " (condition: " + e.condition() + "): write the table as " + actual
                        + ", as the source names it");
            }
        }
        if (!problems.isEmpty()) {
            return PrecheckItem.fail("filter conditions", "row filter conditions that cannot be applied: "
                    + String.join("; ", problems), "correct the link's filters option (<database>.<table>=<condition> "
                    + "entries separated by ';', e.g. demo.orders=amount > 100 AND status <> 'x'), using columns of the "
                    + "table and comparisons (= <> != < <= > >=), AND, OR, NOT, parentheses, IN (...), BETWEEN, LIKE, "
                    + "IS [NOT] NULL over columns and literals, or remove the table's entry");
        }
        return PrecheckItem.pass("filter conditions", filters.entries().size() + " tables have a row filter condition");
    }
}
