package io.sluice.binlog;

import io.sluice.base.DataSourceKind;
import io.sluice.base.PrecheckItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The MySQL sources of binlog links ({@code sluice.mysql.<name>.*}) for the management API: the test logs in as the
 * binlog reader does, and the objects (databases, tables, whether each has a primary key) are what a link's form offers
 * to pick.
 */
@ApplicationScoped
public class MySqlDataSources implements DataSourceKind, DataSourceKind.Objects {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final String SYSTEM = "('" + String.join("', '", MySqlConnections.SYSTEM_DATABASES) + "')";

    @Inject
    MySqlConfig config;

    @Override
    public String kind() {
        return "mysql";
    }

    @Override
    public List<Described> list() {
        List<Described> out = new ArrayList<>();
        new TreeMap<>(config.mysql()).forEach((name, s) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("serverId", s.serverId());
            details.put("flavor", s.flavor());
            // the TLS mode and where the CA comes from; never the trust store's password
            details.put("sslMode", s.sslMode());
            s.sslCa().ifPresent(ca -> details.put("sslCa", ca));
            s.sslTrustStore().ifPresent(store -> details.put("sslTrustStore", store));
            out.add(new Described(name, kind(), s.host() + ":" + s.port(), s.username(), details));
        });
        return out;
    }

    @Override
    public TestResult test(String name) {
        MySqlConfig.MysqlSource s = source(name);
        long start = System.currentTimeMillis();
        SourceTls tls;
        try {
            tls = SourceTls.of(name, s);
        } catch (IllegalArgumentException e) {
            return new TestResult(false, e.getMessage(), System.currentTimeMillis() - start);
        }
        try (Connection c = MySqlConnections.open(s, tls, CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_MS);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            String encryption = SourceTls.encryption(c);
            return new TestResult(true, "logged in to " + s.host() + ":" + s.port() + " as " + s.username()
                    + " (server " + version + ", " + (encryption == null ? "not encrypted" : "encrypted: " + encryption)
                    + ")", System.currentTimeMillis() - start);
        } catch (SQLException e) {
            PrecheckItem item = BinlogPrecheck.connectionFailure(s, tls, e);
            return new TestResult(false, item.detail() + ": " + item.fix() + " (data source sluice.mysql." + name + ".*)",
                    System.currentTimeMillis() - start);
        }
    }

    @Override
    public List<Database> objects(String name) {
        MySqlConfig.MysqlSource s = source(name);
        Map<String, List<Table>> byDatabase = new TreeMap<>();
        SourceTls tls = SourceTls.of(name, s);
        try (Connection c = MySqlConnections.open(s, tls, CONNECT_TIMEOUT_MS, 60_000); Statement st = c.createStatement()) {
            // two queries rather than one with a correlated subquery per table (slow on servers with many tables)
            Set<String> keyed = new HashSet<>();
            // the PRIMARY index in STATISTICS (as TableSchemaReader falls back to): TABLE_CONSTRAINTS misses it on MariaDB
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME FROM information_schema.STATISTICS "
                    + "WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA NOT IN " + SYSTEM)) {
                while (rs.next()) {
                    keyed.add(rs.getString(1) + "." + rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                    + "WHERE SCHEMA_NAME NOT IN " + SYSTEM)) {
                while (rs.next()) {
                    byDatabase.put(rs.getString(1), new ArrayList<>());
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                    + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN " + SYSTEM + " ORDER BY 1, 2")) {
                while (rs.next()) {
                    String db = rs.getString(1);
                    String table = rs.getString(2);
                    byDatabase.computeIfAbsent(db, d -> new ArrayList<>())
                            .add(new Table(table, keyed.contains(db + "." + table), rs.getLong(3)));
                }
            }
        } catch (SQLException e) {
            PrecheckItem item = BinlogPrecheck.connectionFailure(s, tls, e);
            throw new IllegalStateException("cannot read the objects of MySQL data source '" + name + "': "
                    + item.detail() + ": " + item.fix());
        }
        List<Database> out = new ArrayList<>();
        byDatabase.forEach((db, tables) -> out.add(new Database(db, tables)));
        return out;
    }

    private MySqlConfig.MysqlSource source(String name) {
        MySqlConfig.MysqlSource s = config.mysql().get(name);
        if (s == null) {
            throw DataSourceKind.notDeclared("MySQL", name, "sluice.mysql." + name + ".host, .username and .password",
                    config.mysql().keySet());
        }
        return s;
    }
}
