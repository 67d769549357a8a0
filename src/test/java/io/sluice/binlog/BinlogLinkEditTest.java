package io.sluice.binlog;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sluice.binlog.ChangeTopic.insertRange;
import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code PUT /api/links/{id}} on a MySQL -> Kafka link: a table added to the selection is refused (its full load would
 * be missing) and the link runs on unchanged; a table taken out of it is allowed, and the link goes on from its binlog
 * position without a second full load.
 */
@QuarkusTest
class BinlogLinkEditTest {

    private static String link(String tables) {
        return """
                - route:
                    id: edit-binlog
                    from:
                      uri: "mysql-binlog:edit-binlog?dataSource=test-mariadb&serverId=7601&databases=edit_cdc&tables=%s"
                      steps:
                        - to: "kafka-change:edit.binlog?brokers={{kafka.bootstrap.servers}}&createTopics=true"
                """.formatted(tables);
    }

    /** The row changes of {@code table} in the link's topic. */
    private static long changesOf(String table) {
        return ChangeTopic.messages("edit.binlog").stream()
                .filter(m -> !Boolean.TRUE.equals(m.getIsDdl()) && table.equals(m.getTable()))
                .mapToLong(m -> m.getData().size()).sum();
    }

    @Test
    void anAddedTableIsRefusedAndARemovedOneKeepsThePosition() {
        TestServers.mariaDb().execute("CREATE DATABASE edit_cdc; "
                + "CREATE TABLE edit_cdc.a (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "CREATE TABLE edit_cdc.b (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "CREATE TABLE edit_cdc.c (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("edit_cdc.a", 0, 50);
        insertRange("edit_cdc.b", 0, 50);
        insertRange("edit_cdc.c", 0, 50);
        String ab = link("edit_cdc.a,edit_cdc.b");
        api().contentType("application/yaml").body(ab.getBytes()).post("/api/links").then().statusCode(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> changesOf("a") == 50 && changesOf("b") == 50);

        // a table added: 409 naming it, why, and what to do; the link is untouched
        api().contentType("application/yaml").body(link("edit_cdc.a,edit_cdc.b,edit_cdc.c").getBytes())
                .put("/api/links/edit-binlog").then().statusCode(409)
                .body("error", containsString("edit_cdc.c"))
                .body("error", containsString("full load"))
                .body("error", containsString("Remove the link and add it again"));
        api().get("/api/links/edit-binlog").then().body("state", equalTo("running"))
                .body("definition.route.from.uri", containsString("tables=edit_cdc.a,edit_cdc.b"))
                .body("definition.route.from.uri", not(containsString("edit_cdc.c")));
        insertRange("edit_cdc.a", 50, 60);
        insertRange("edit_cdc.c", 50, 60);
        await().atMost(Duration.ofSeconds(60)).until(() -> changesOf("a") == 60);
        assertEquals(0, changesOf("c"), "the refused edit did not select edit_cdc.c");

        // a table removed: allowed; the link continues from its binlog position, with no second full load
        api().contentType("application/yaml").body(link("edit_cdc.a").getBytes())
                .put("/api/links/edit-binlog").then().statusCode(200).body("state", equalTo("running"));
        insertRange("edit_cdc.b", 50, 60);
        insertRange("edit_cdc.a", 60, 70);
        await().atMost(Duration.ofSeconds(60)).until(() -> changesOf("a") >= 70);
        // the change to b was made before a's last ones: had it been read, it would be in the topic by now
        assertEquals(70, changesOf("a"), "edit_cdc.a: its full load and every change once");
        assertEquals(50, changesOf("b"), "edit_cdc.b is no longer read");
        api().delete("/api/links/edit-binlog").then().statusCode(204);
    }
}
