package io.sluice.link;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Sluice's own settings ({@code sluice.*} in application.properties). */
@ConfigMapping(prefix = "sluice")
public interface LinksConfig {

    Links links();

    Api api();

    Health health();

    Embedded embedded();

    /** Named MySQL-protocol destinations (data sources), referenced by links as {@code dataSource=<name>}. */
    Map<String, JdbcSource> jdbc();

    /** Named Kafka clusters (data sources), referenced by links as {@code dataSource=<name>}. */
    Map<String, KafkaCluster> kafka();

    /** Named MySQL/MariaDB sources (binlog readers), referenced by mysql-binlog links as {@code dataSource=<name>}. */
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

    /** Named MaxCompute projects (data sources), referenced by {@code maxcompute:} sinks as {@code dataSource=<name>}. */
    Map<String, MaxComputeSource> maxcompute();

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

    interface MaxComputeSource {
        /** The MaxCompute (ODPS) REST endpoint, e.g. http://service.cn-hangzhou.maxcompute.aliyun.com/api */
        String endpoint();

        /** The tunnel endpoint; without it the SDK asks the service. */
        Optional<String> tunnelEndpoint();

        String project();

        /** Optional here so that an unset key fails only the links that use this data source, with the fix. */
        Optional<String> accessId();

        /** From the environment in production: sluice.maxcompute.<name>.access-key=${MC_ACCESS_KEY}. Never logged. */
        Optional<String> accessKey();
    }

    interface KafkaCluster {
        /** host:port,host:port */
        String bootstrapServers();

        /** Client properties passed through, e.g. properties."security.protocol"=SASL_SSL. */
        Map<String, String> properties();

        /** bootstrap.servers plus the declared properties, for any Kafka client. */
        default java.util.Properties clientProperties() {
            java.util.Properties p = new java.util.Properties();
            p.putAll(properties());
            p.put("bootstrap.servers", bootstrapServers());
            return p;
        }
    }

    interface Links {
        /** Directory the route files are loaded from and, when writeToRoutesDir, written to. */
        @WithDefault("routes")
        String routesDir();

        /** Whether a link added through the API is also written to the routes directory (survives a restart). */
        @WithDefault("false")
        boolean writeToRoutesDir();

        /** Lines kept in each link's run log. */
        @WithDefault("200")
        int runLogSize();

        /**
         * How long stopping a link may take (pause, stop, delete, and each link when Sluice shuts down): work that
         * cannot finish in time (a batch against a server that does not answer) is abandoned, and the link's
         * position stays at its last committed point.
         */
        @WithDefault("30S")
        Duration stopTimeout();
    }

    interface Api {
        /** Bearer token the management API requires; mandatory when the HTTP server listens beyond loopback. */
        Optional<String> token();
    }

    interface Health {
        /** Whether a failed link makes the readiness check DOWN. */
        @WithDefault("true")
        boolean failedLinkMakesUnready();
    }

    interface Embedded {
        /** Start an embedded MariaDB and Kafka and feed the example link (README command 1). */
        @WithDefault("false")
        boolean enabled();

        /** Published by the embedded servers once started. */
        Mariadb mariadb();

        Kafka kafka();

        /** The local SLS server of the embedded default (port of its HTTP proxy endpoint). */
        Sls sls();

        /** The local MaxCompute server of the embedded default. */
        Maxcompute maxcompute();

        interface Mariadb {
            Optional<Integer> port();
        }

        interface Kafka {
            Optional<String> bootstrapServers();
        }

        interface Sls {
            Optional<Integer> port();
        }

        interface Maxcompute {
            Optional<String> endpoint();

            Optional<String> tunnelEndpoint();

            Optional<String> project();

            Optional<String> accessId();

            Optional<String> accessKey();
        }
    }
}
