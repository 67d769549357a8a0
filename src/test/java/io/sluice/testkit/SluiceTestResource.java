package io.sluice.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import io.sluice.devservices.sls.DemoSls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Points the Quarkus app under test at the test kit's servers (MariaDB, Kafka, SLS, a fresh state directory) and sets the API token the tests use. */
public class SluiceTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-token-0123456789";

    /** The routes directory of the app under test: a copy of the project's routes/, which the tests never change. */
    private static Path routes;

    /** The routes directory the app under test loads its links from and writes the API's links to. */
    public static Path routesDir() {
        return routes;
    }

    private static Path copyOfShippedRoutes() throws IOException {
        Path dir = Files.createTempDirectory("sluice-test-routes-");
        try (DirectoryStream<Path> shipped = Files.newDirectoryStream(Path.of("routes"), "*.yaml")) {
            for (Path f : shipped) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Override
    public Map<String, String> start() {
        Path state;
        try {
            state = Files.createTempDirectory("sluice-test-state-");
            routes = copyOfShippedRoutes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String direct = TestServers.mariaDb().jdbcUrl("demo");
        String proxied = direct.replace(":" + TestServers.mariaDb().port() + "/", ":" + TestServers.mariaDbProxy().port() + "/");
        Map<String, String> config = new java.util.HashMap<>(tlsSources());
        config.putAll(Map.ofEntries(
                Map.entry("quarkus.datasource.jdbc.url", direct),
                Map.entry("quarkus.datasource.password", "sluice-demo-pw"),
                Map.entry("kafka.bootstrap.servers", TestServers.kafka().bootstrapServers()),
                Map.entry("sluice.api.token", TOKEN),
                // each link's history sampled every second, so a test sees points within seconds (default 10 s)
                Map.entry("sluice.links.history-interval", "1S"),
                Map.entry("sluice.sls.demo.endpoint", DemoSls.ENDPOINT),
                Map.entry("sluice.sls.demo.proxy-host", "127.0.0.1"),
                Map.entry("sluice.sls.demo.proxy-port", String.valueOf(TestServers.sls().port())),
                Map.entry("sluice.sls.demo.access-key-id", DemoSls.ACCESS_KEY_ID),
                Map.entry("sluice.sls.demo.access-key-secret", DemoSls.ACCESS_KEY_SECRET),
                Map.entry("sluice.state.dir", state.toString()),
                // the app loads the shipped links from a copy, and writes the API's links there, never into routes/
                Map.entry("sluice.links.routes-dir", routes.toString()),
                // a named destination reached through a proxy the tests cut to take the database down
                Map.entry("sluice.jdbc.flaky.url", proxied),
                Map.entry("sluice.jdbc.flaky.username", "sluice"),
                Map.entry("sluice.jdbc.flaky.password", "sluice-demo-pw"),
                Map.entry("sluice.jdbc.flaky.acquisition-timeout", "2S"),
                // a named destination whose lock waits end after 8 s instead of 50 s
                Map.entry("sluice.jdbc.short-lock-wait.url", direct + "?sessionVariables=innodb_lock_wait_timeout=8"),
                Map.entry("sluice.jdbc.short-lock-wait.username", "sluice"),
                Map.entry("sluice.jdbc.short-lock-wait.password", "sluice-demo-pw"),
                // a named destination with a wrong password
                Map.entry("sluice.jdbc.wrong-password.url", direct),
                Map.entry("sluice.jdbc.wrong-password.username", "sluice"),
                Map.entry("sluice.jdbc.wrong-password.password", "not-the-password"),
                // a named destination whose password a test changes under a running link
                Map.entry("sluice.jdbc.rotating.url", direct),
                Map.entry("sluice.jdbc.rotating.username", "rotating"),
                Map.entry("sluice.jdbc.rotating.password", "rotating-pw"),
                // a named MySQL source (binlog) with the demo account, which has the CDC privileges; positions of
                // this JVM's links in a fresh directory (the test MariaDB is new in every JVM)
                Map.entry("sluice.mysql.test-mariadb.host", "127.0.0.1"),
                Map.entry("sluice.mysql.test-mariadb.port", String.valueOf(TestServers.mariaDb().port())),
                Map.entry("sluice.mysql.test-mariadb.username", "sluice"),
                Map.entry("sluice.mysql.test-mariadb.password", "sluice-demo-pw"),
                Map.entry("sluice.mysql.test-mariadb.server-id", "7101"),
                // the same without TLS, for the benchmarks: their plain Debezium engine reads without it, and the link
                // must pay for the same connection (the test MariaDB offers TLS, which ssl-mode=preferred takes)
                Map.entry("sluice.mysql.bench-mariadb.host", "127.0.0.1"),
                Map.entry("sluice.mysql.bench-mariadb.port", String.valueOf(TestServers.mariaDb().port())),
                Map.entry("sluice.mysql.bench-mariadb.username", "sluice"),
                Map.entry("sluice.mysql.bench-mariadb.password", "sluice-demo-pw"),
                Map.entry("sluice.mysql.bench-mariadb.server-id", "7102"),
                Map.entry("sluice.mysql.bench-mariadb.ssl-mode", "disabled"),
                Map.entry("sluice.mysql.demo.port", String.valueOf(TestServers.mariaDb().port())),
                Map.entry("sluice.mysql.demo.password", "sluice-demo-pw"),
                // the shipped MySQL -> MaxCompute link writes to the test kit's local MaxCompute
                Map.entry("sluice.maxcompute.demo.endpoint", TestServers.maxCompute().endpoint()),
                Map.entry("sluice.maxcompute.demo.tunnel-endpoint", TestServers.maxCompute().tunnelEndpoint()),
                Map.entry("sluice.maxcompute.demo.project", TestServers.MAXCOMPUTE_PROJECT),
                Map.entry("sluice.maxcompute.demo.access-id", TestServers.MAXCOMPUTE_ACCESS_ID),
                Map.entry("sluice.maxcompute.demo.access-key", TestServers.MAXCOMPUTE_ACCESS_KEY),
                // a named MySQL source reached through the proxy the tests cut: a source server that does not answer
                Map.entry("sluice.mysql.flaky-mariadb.host", "127.0.0.1"),
                Map.entry("sluice.mysql.flaky-mariadb.port", String.valueOf(TestServers.mariaDbProxy().port())),
                Map.entry("sluice.mysql.flaky-mariadb.username", "sluice"),
                Map.entry("sluice.mysql.flaky-mariadb.password", "sluice-demo-pw"),
                Map.entry("sluice.mysql.flaky-mariadb.server-id", "7102"),
                // a named Kafka cluster no broker answers for (a port nothing listens on)
                Map.entry("sluice.kafka.dead-cluster.bootstrap-servers", "127.0.0.1:" + TestServers.closedPort()),
                // a named Kafka cluster
                Map.entry("sluice.kafka.test-cluster.bootstrap-servers", TestServers.kafka().bootstrapServers()),
                Map.entry("sluice.kafka.test-cluster.properties.\"client.id\"", "sluice-test-cluster"),
                // alerts go to the test kit's webhook receiver, evaluated every second and repeated every 3 s; the
                // lag alert of link alert-lag fires above 600 s (the default 300 s stays for every other link)
                Map.entry("sluice.alerts.webhook-url", WebhookReceiver.shared().url()),
                Map.entry("sluice.alerts.evaluation-interval", "1S"),
                Map.entry("sluice.alerts.repeat-interval", "3S"),
                Map.entry("sluice.alerts.links.\"alert-lag\".lag-threshold", "600S"),
                Map.entry("sluice.alerts.links.\"alert-quiet\".failed", "false")));
        return config;
    }

    /**
     * MySQL sources over TLS (BinlogTlsTest) on the test MariaDB as the account sluice_tls, which the server refuses any
     * connection without TLS, and the same MariaDB as a server that offers no TLS, as the demo account.
     */
    private static Map<String, String> tlsSources() {
        int tls = TestServers.mariaDb().port();
        int plain = TestServers.mariaDbWithoutTls().port();
        TlsCertificates certs = TestServers.tls();
        Map<String, String> out = new java.util.HashMap<>();
        out.putAll(mysql("tls-required", tls, "sluice_tls", "sluice-tls-pw", "ssl-mode", "required"));
        out.putAll(mysql("tls-verify-ca", tls, "sluice_tls", "sluice-tls-pw", "ssl-mode", "verify-ca",
                "ssl-ca", certs.caPem().toString()));
        out.putAll(mysql("tls-wrong-ca", tls, "sluice_tls", "sluice-tls-pw", "ssl-mode", "verify-ca",
                "ssl-ca", certs.otherCaPem().toString()));
        out.putAll(mysql("tls-trust-store", tls, "sluice_tls", "sluice-tls-pw", "ssl-mode", "verify-identity",
                "ssl-trust-store", certs.caTrustStore().toString(),
                "ssl-trust-store-password", TlsCertificates.TRUST_STORE_PASSWORD));
        out.putAll(mysql("no-tls-required", plain, "sluice", "sluice-demo-pw", "ssl-mode", "required"));
        out.putAll(mysql("no-tls-preferred", plain, "sluice", "sluice-demo-pw"));
        return out;
    }

    /** {@code sluice.mysql.<name>.*} on 127.0.0.1:{@code port}, with further settings as name, value pairs. */
    private static Map<String, String> mysql(String name, int port, String user, String password, String... settings) {
        String p = "sluice.mysql." + name + ".";
        Map<String, String> out = new java.util.HashMap<>(Map.of(p + "host", "127.0.0.1", p + "port", String.valueOf(port),
                p + "username", user, p + "password", password));
        for (int i = 0; i < settings.length; i += 2) {
            out.put(p + settings[i], settings[i + 1]);
        }
        return out;
    }

    @Override
    public void stop() {
        // the servers are shared by every test of this JVM and stop with it; the copied routes go with the app
        try (var files = Files.walk(routes)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory: the system cleans it up
        }
    }
}
