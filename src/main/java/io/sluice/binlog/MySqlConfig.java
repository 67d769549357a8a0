package io.sluice.binlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.util.Map;
import java.util.Optional;

/**
 * Named MySQL/MariaDB sources (data sources of the binlog readers), declared once in application.properties and
 * referenced by mysql-binlog links as {@code dataSource=<name>}: {@code sluice.mysql.<name>.host}, {@code .port},
 * {@code .username}, {@code .password}, {@code .server-id}, {@code .flavor}, and TLS ({@link SourceTls}): {@code .ssl-mode},
 * {@code .ssl-ca}, {@code .ssl-trust-store}, {@code .ssl-trust-store-password}.
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

        /**
         * TLS to the server, as the MySQL client's --ssl-mode: {@code disabled}, {@code preferred} (encrypted when the
         * server offers TLS, the certificate not verified), {@code required} (encrypted, not verified), {@code verify-ca}
         * (the certificate signed by the CA of ssl-ca or ssl-trust-store), {@code verify-identity} (and naming the host).
         */
        @WithDefault("preferred")
        String sslMode();

        /** PEM file of the CA that signed the server's certificate (verify-ca, verify-identity). */
        Optional<String> sslCa();

        /** A JKS or PKCS12 trust store holding that CA, instead of ssl-ca. */
        Optional<String> sslTrustStore();

        /** The trust store's password: a secret like the account's (from the environment, never logged or shown). */
        Optional<String> sslTrustStorePassword();
    }
}
