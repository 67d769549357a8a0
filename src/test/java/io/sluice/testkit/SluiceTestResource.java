package io.sluice.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points the Quarkus app under test at the test kit's servers and sets the API token the tests use. */
public class SluiceTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-token-0123456789";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"),
                "quarkus.datasource.password", "sluice-demo-pw",
                "kafka.bootstrap.servers", TestServers.kafka().bootstrapServers(),
                "sluice.api.token", TOKEN);
    }

    @Override
    public void stop() {
        // the servers are shared by every test of this JVM and stop with it
    }
}
