package io.sluice.jdbc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Named MySQL-protocol destinations (data sources: AnalyticDB for MySQL or any MySQL-protocol database), declared
 * once in application.properties and referenced by links as {@code dataSource=<name>}:
 * {@code sluice.jdbc.<name>.url}, {@code .username}, {@code .password}, {@code .max-pool-size},
 * {@code .acquisition-timeout}.
 */
@ConfigMapping(prefix = "sluice.jdbc")
public interface JdbcConfig {

    @WithParentName
    Map<String, JdbcSource> jdbc();

    interface JdbcSource {
        /** JDBC URL, e.g. jdbc:mariadb://adb-host:3306/ or jdbc:mysql://... */
        String url();

        Optional<String> username();

        /** From the environment in production: sluice.jdbc.<name>.password=${ADB_PASSWORD}. Never logged. */
        Optional<String> password();

        /** Connections kept open; one link uses one connection per batch. */
        @WithDefault("8")
        int maxPoolSize();

        /** How long a batch waits for a connection before it counts as a database outage (and is retried). */
        @WithDefault("5S")
        Duration acquisitionTimeout();
    }
}
