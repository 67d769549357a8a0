package io.sluice.binlog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Plain JDBC connections to a MySQL data source with its account and TLS settings ({@link SourceTls}): the precheck, the
 * full-load estimate, the API.
 */
public final class MySqlConnections {

    /** The server's own databases: never synced, never offered as objects to pick. */
    public static final List<String> SYSTEM_DATABASES = List.of("mysql", "information_schema", "performance_schema", "sys");

    private MySqlConnections() {
    }

    public static Connection open(MySqlConfig.MysqlSource source, SourceTls tls, int connectTimeoutMs, int socketTimeoutMs)
            throws SQLException {
        try {
            return open(source, tls.jdbcProperties(true), connectTimeoutMs, socketTimeoutMs);
        } catch (SQLException e) {
            // ssl-mode=preferred: the driver has no such mode, so a server without TLS is asked again without it
            if (tls.retryPlain(e)) {
                return open(source, tls.jdbcProperties(false), connectTimeoutMs, socketTimeoutMs);
            }
            throw e;
        }
    }

    private static Connection open(MySqlConfig.MysqlSource source, Properties tls, int connectTimeoutMs,
                                   int socketTimeoutMs) throws SQLException {
        Properties p = new Properties();
        p.putAll(tls);
        p.setProperty("user", source.username());
        p.setProperty("password", source.password().orElse(""));
        p.setProperty("connectTimeout", String.valueOf(connectTimeoutMs));
        p.setProperty("socketTimeout", String.valueOf(socketTimeoutMs));
        // MariaDB's driver speaks to MySQL servers too
        return DriverManager.getConnection("jdbc:mariadb://" + source.host() + ":" + source.port() + "/", p);
    }
}
