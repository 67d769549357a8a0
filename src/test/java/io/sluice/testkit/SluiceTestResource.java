package io.sluice.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import io.sluice.embedded.sls.DemoSls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Points the Quarkus app under test at the test kit's servers (MariaDB, Kafka, SLS, a fresh state directory) and sets the API token the tests use. */
public class SluiceTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-token-0123456789";

    @Override
    public Map<String, String> start() {
        Path state;
        try {
            state = Files.createTempDirectory("sluice-test-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo")),
                Map.entry("quarkus.datasource.password", "sluice-demo-pw"),
                Map.entry("kafka.bootstrap.servers", TestServers.kafka().bootstrapServers()),
                Map.entry("sluice.sls.demo.endpoint", DemoSls.ENDPOINT),
                Map.entry("sluice.sls.demo.proxy-host", "127.0.0.1"),
                Map.entry("sluice.sls.demo.proxy-port", String.valueOf(TestServers.sls().port())),
                Map.entry("sluice.sls.demo.access-key-id", DemoSls.ACCESS_KEY_ID),
                Map.entry("sluice.sls.demo.access-key-secret", DemoSls.ACCESS_KEY_SECRET),
                Map.entry("sluice.state.dir", state.toString()),
                Map.entry("sluice.api.token", TOKEN));
    }

    @Override
    public void stop() {
        // the servers are shared by every test of this JVM and stop with it
    }
}
