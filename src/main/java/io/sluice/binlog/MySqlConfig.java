package io.sluice.binlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/**
 * Named MySQL/MariaDB sources (data sources of the binlog readers), declared once in application.properties and
 * referenced by mysql-binlog links as {@code dataSource=<name>}: {@code sluice.mysql.<name>.host}, {@code .port},
 * {@code .username}, {@code .password}, {@code .server-id}, {@code .flavor}.
 */
@ConfigMapping(prefix = "sluice.mysql")
public interface MySqlConfig {

    @WithParentName
    Map<String, MysqlSource> mysql();

    interface MysqlSource {
        String host();

        @WithDefault("3306")
        int port();

        /** An account with SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT. */
        String username();

        /** From the environment in production: sluice.mysql.<name>.password=${MYSQL_PASSWORD}. Never logged. */
        Optional<String> password();

        /** server_id the binlog reader registers with; unique among the server's replicas and other readers. */
        @WithDefault("5400")
        long serverId();

        /** {@code mariadb} (Debezium's MariaDB connector) or {@code mysql} (its MySQL connector). */
        @WithDefault("mariadb")
        String flavor();
    }
}
