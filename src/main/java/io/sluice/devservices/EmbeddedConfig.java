package io.sluice.devservices;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The embedded default's settings ({@code sluice.embedded.*}): whether to start the dev servers, and what they
 * publish once started (ports, endpoints, the local MaxCompute project and key) for the data sources of the example
 * links to refer to.
 */
@ConfigMapping(prefix = "sluice.embedded")
public interface EmbeddedConfig {

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
