package io.sluice.link;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.sls.SlsToAdbLinkTest;
import io.sluice.testkit.LinkRestart;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.sluice.testkit.LinkApi.api;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The default file store keeps the user's pause in the link's state directory too: a link paused comes up paused when
 * its definition is added again (as at a restart), resume clears it, and deleting the link removes its state.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class RunStateFileStoreTest {

    @Inject
    CamelContext camel;

    @Inject
    LinkDefinitions definitions;

    @Inject
    LinkStatsRegistry stats;

    @Test
    void aPausedLinkStaysPausedAcrossARestartWithTheFileStore() throws Exception {
        TestServers.sls().createLogstore(DemoSls.PROJECT, "rs-file", 1);
        TestServers.mariaDb().execute("CREATE TABLE IF NOT EXISTS demo.rs_file (request_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                + "log_time DATETIME NOT NULL, topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, "
                + "amount DECIMAL(12,2))");
        String link = "rs-file";
        String yaml = SlsToAdbLinkTest.route(link, "rs-file", "rs_file", "");
        Path dir = Path.of(ConfigProvider.getConfig().getValue("sluice.state.dir", String.class));
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        api().post("/api/links/" + link + "/pause").then().statusCode(200).body("state", equalTo("paused"));
        assertEquals("paused", Files.readString(dir.resolve(link).resolve("run-state")));

        LinkRestart.restart(camel, definitions, stats, link, yaml);
        api().get("/api/links/" + link).then().body("state", equalTo("paused"));
        api().post("/api/links/" + link + "/resume").then().statusCode(200).body("state", equalTo("running"));
        assertFalse(Files.exists(dir.resolve(link).resolve("run-state")), "resume clears the recorded pause");

        api().delete("/api/links/" + link).then().statusCode(204);
        assertFalse(Files.exists(dir.resolve(link)), "deleting the link removes its state directory");
        assertFalse(Files.exists(dir.resolve(link + ".sls.json")), "and its checkpoint");
    }
}
