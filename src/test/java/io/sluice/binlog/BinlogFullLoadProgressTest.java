package io.sluice.binlog;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.binlog.ChangeTopic.insertRange;
import static io.sluice.testkit.LinkApi.addLink;
import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A binlog link's full-load progress in GET /api/links/{id}: the tables of the full load with rows copied of the
 * estimate while it runs, then every table done and the link incremental, with the rows it copied.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogFullLoadProgressTest {

    @Test
    void aFullLoadOfTwoTablesShowsItsProgressThenIncremental() {
        TestServers.mariaDb().execute("CREATE DATABASE progress_fl; "
                + "CREATE TABLE progress_fl.orders (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "CREATE TABLE progress_fl.items (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("progress_fl.orders", 0, 3000);
        insertRange("progress_fl.items", 0, 2000);
        TestServers.mariaDb().execute("ANALYZE TABLE progress_fl.orders, progress_fl.items"); // estimates for the API
        // throttled, so that the full load lasts a few seconds and is seen running
        addLink("progress-fl", "mysql-binlog:progress-fl?dataSource=test-mariadb&serverId=7231&databases=progress_fl"
                        + "&fullRowsPerSecond=1000&maxBatchSize=250",
                "kafka-change:progress.fl?brokers=" + TestServers.kafka().bootstrapServers() + "&createTopics=true");
        try {
            JsonPath running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api().get("/api/links/progress-fl").then().statusCode(200).extract().jsonPath(),
                            v -> "full load".equals(v.getString("fullLoad.phase")) && v.getInt("fullLoad.tablesTotal") == 2
                                    && v.getLong("fullLoad.rowsCopied") > 0);
            assertEquals("mysql-to-kafka", running.getString("kind"));
            assertTrue(running.getLong("fullLoad.rowsCopied") < 5000, "seen while it runs: " + running.get("fullLoad"));
            assertTrue(running.getLong("fullLoad.rowsEstimated") >= running.getLong("fullLoad.rowsCopied"),
                    "never less estimated than copied: " + running.get("fullLoad"));
            assertTrue(running.getInt("fullLoad.tablesDone") < 2, running.get("fullLoad").toString());

            JsonPath done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api().get("/api/links/progress-fl").then().statusCode(200).extract().jsonPath(),
                            v -> "incremental".equals(v.getString("fullLoad.phase")));
            Map<String, Object> fullLoad = done.getMap("fullLoad");
            assertEquals(2, fullLoad.get("tablesTotal"), fullLoad.toString());
            assertEquals(2, fullLoad.get("tablesDone"), fullLoad.toString());
            assertEquals(5000, ((Number) fullLoad.get("rowsCopied")).intValue(), fullLoad.toString());
            List<Map<String, Object>> tables = done.getList("fullLoad.tables");
            assertEquals(List.of("progress_fl.items", "progress_fl.orders"), tables.stream().map(t -> t.get("table")).toList());
            assertEquals(List.of(2000, 3000), tables.stream().map(t -> ((Number) t.get("rowsCopied")).intValue()).toList());
            assertTrue(tables.stream().allMatch(t -> Boolean.TRUE.equals(t.get("done"))), tables.toString());
            assertEquals(5000, ChangeTopic.changes("progress.fl").size(), "every copied row is in Kafka");
            // it moved records within the last minute
            assertTrue(done.getDouble("rowsPerSecond") > 0, "rows/s: " + done.getDouble("rowsPerSecond"));

            // changes after the full load count as records, not as full-load rows
            insertRange("progress_fl.orders", 3000, 3010);
            await().atMost(Duration.ofSeconds(30)).until(() -> ChangeTopic.changes("progress.fl").size() == 5010);
            assertEquals(5000, api().get("/api/links/progress-fl").then().extract().jsonPath().getLong("fullLoad.rowsCopied"));
        } finally {
            api().delete("/api/links/progress-fl").then().statusCode(204);
        }
    }

    /**
     * A link of one empty table in a database of two: the snapshot's schema records name both tables (its last one
     * can carry the end marker), yet the progress lists only the table the link loads.
     */
    @Test
    void aLinkOfOneEmptyTableListsOnlyThatTable() {
        TestServers.mariaDb().execute("CREATE DATABASE progress_one; "
                + "CREATE TABLE progress_one.aa_wanted (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "CREATE TABLE progress_one.zz_other (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("progress_one.zz_other", 0, 10);
        addLink("progress-one", "mysql-binlog:progress-one?dataSource=test-mariadb&serverId=7232&databases=progress_one"
                        + "&tables=progress_one.aa_wanted",
                "kafka-change:progress.one?brokers=" + TestServers.kafka().bootstrapServers() + "&createTopics=true");
        try {
            JsonPath done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api().get("/api/links/progress-one").then().statusCode(200).extract().jsonPath(),
                            v -> "incremental".equals(v.getString("fullLoad.phase")));
            List<Map<String, Object>> tables = done.getList("fullLoad.tables");
            assertEquals(List.of("progress_one.aa_wanted"), tables.stream().map(t -> t.get("table")).toList(),
                    done.get("fullLoad").toString());
            assertEquals(1, done.getInt("fullLoad.tablesTotal"), done.get("fullLoad").toString());
            assertEquals(0, done.getLong("fullLoad.rowsCopied"), done.get("fullLoad").toString());
        } finally {
            api().delete("/api/links/progress-one").then().statusCode(204);
        }
    }
}
