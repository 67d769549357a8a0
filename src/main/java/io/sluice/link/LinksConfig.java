package io.sluice.link;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Sluice's own settings ({@code sluice.*} in application.properties). */
@ConfigMapping(prefix = "sluice")
public interface LinksConfig {

    Links links();

    Api api();

    Health health();

    Embedded embedded();

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

        interface Mariadb {
            Optional<Integer> port();
        }

        interface Kafka {
            Optional<String> bootstrapServers();
        }

        interface Sls {
            Optional<Integer> port();
        }
    }
}
