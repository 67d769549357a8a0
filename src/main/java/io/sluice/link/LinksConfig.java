package io.sluice.link;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The control plane's settings: {@code sluice.links.*} (route files, run log, stop timeout), {@code sluice.api.*}
 * (the management API's token) and {@code sluice.health.*}. Each data source's settings belong to the component
 * that uses it ({@code sluice.jdbc}, {@code sluice.kafka}, {@code sluice.mysql}, {@code sluice.maxcompute},
 * {@code sluice.sls}), the embedded default's to the dev servers ({@code sluice.embedded}).
 */
@ConfigMapping(prefix = "sluice")
public interface LinksConfig {

    Links links();

    Api api();

    Health health();

    interface Links {
        /** Directory the route files are loaded from and, when writeToRoutesDir, written to. */
        @WithDefault("routes")
        String routesDir();

        /**
         * Whether a link added or edited through the API is also written to the routes directory, and a deleted one
         * taken out of it (the API's changes survive a restart).
         */
        @WithDefault("true")
        boolean writeToRoutesDir();

        /** Lines kept in each link's run log (read by io.sluice.base.LinkStatsRegistry, which keeps the logs). */
        @WithDefault("200")
        int runLogSize();

        /**
         * How long stopping a link may take (pause, stop, delete, and each link when Sluice shuts down): work that
         * cannot finish in time (a batch against a server that does not answer) is abandoned, and the link's
         * position stays at its last committed point.
         */
        @WithDefault("30S")
        Duration stopTimeout();

        /**
         * How often each link's rows/s and lag are sampled for its history ({@code GET /api/links/{id}/history}, the
         * console's charts); an hour of samples is kept in memory. At least 1 s.
         */
        @WithDefault("10S")
        Duration historyInterval();

        /**
         * How often the destination of a link that moved nothing in that time is tested (the data source's connection
         * test, as {@code POST /api/data-sources/{kind}/{name}/test} runs it): one that does not answer shows the link
         * {@code retrying} with the reason until it answers. 0 turns the test off.
         */
        @WithDefault("10S")
        Duration idleSinkCheck();
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
}
