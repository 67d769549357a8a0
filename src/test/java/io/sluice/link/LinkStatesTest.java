package io.sluice.link;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sluice.testkit.LinkApi.addLink;
import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * States tell the truth: a source that cannot be reached makes a link {@code retrying} with the reason (not
 * {@code running}, not {@code failed}), the same cause gives the same state whatever the link's sink, and a link shows
 * {@code running} again only once it reaches its servers. The servers are the test kit's real ones, taken down
 * through a proxy or by pointing at a port nothing listens on.
 */
@QuarkusTest
class LinkStatesTest {

    @AfterEach
    void restore() {
        TestServers.mariaDbProxy().restore();
    }

    @Test
    void binlogLinksWhoseSourceDoesNotAnswerAreRetryingWhateverTheirSinkAndRunOnceItAnswers() {
        TestServers.mariaDb().execute("CREATE DATABASE IF NOT EXISTS states_db; "
                + "CREATE TABLE IF NOT EXISTS states_db.t (id INT PRIMARY KEY, v VARCHAR(10))");
        TestServers.mariaDbProxy().cut();
        addLink("states-kafka", "mysql-binlog:states-kafka?dataSource=flaky-mariadb&serverId=7311&databases=states_db",
                "kafka-change:states-topic?brokers=" + TestServers.kafka().bootstrapServers() + "&createTopics=true");
        addLink("states-mc", "mysql-binlog:states-mc?dataSource=flaky-mariadb&serverId=7312&databases=states_db",
                "maxcompute:states-mc?dataSource=demo");
        for (String link : new String[] {"states-kafka", "states-mc"}) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/" + link).then()
                    .body("state", equalTo("retrying"))
                    .body("lastError", containsString("[source connection]"))
                    .body("lastError", either(containsString("does not answer")).or(containsString("cannot connect"))));
        }
        // the precheck says why, and that it is the server's reachability, not a setting to fix
        api().get("/api/links/states-kafka/precheck").then().statusCode(200)
                .body("status", hasItem("unreachable"));

        TestServers.mariaDbProxy().restore();
        for (String link : new String[] {"states-kafka", "states-mc"}) {
            // the route supervisor retries the start with its backoff (2 s, doubling)
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> api().get("/api/links/" + link).then()
                    .body("state", equalTo("running")));
        }
        api().delete("/api/links/states-kafka").then().statusCode(204);
        api().delete("/api/links/states-mc").then().statusCode(204);
    }

    @Test
    void aKafkaLinkWhoseClusterDoesNotAnswerIsRetryingWithTheReason() {
        TestServers.mariaDb().execute("CREATE TABLE IF NOT EXISTS demo.states_kafka (id INT PRIMARY KEY, v VARCHAR(10))");
        addLink("states-dead-kafka", "kafka-json:states-dead?dataSource=dead-cluster&retryBackoffMs=200&maxRetryBackoffMs=1000",
                "adb:demo.states_kafka");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> api().get("/api/links/states-dead-kafka").then()
                .body("state", equalTo("retrying"))
                .body("lastError", containsString("does not answer")));
        api().delete("/api/links/states-dead-kafka").then().statusCode(204);
    }
}
