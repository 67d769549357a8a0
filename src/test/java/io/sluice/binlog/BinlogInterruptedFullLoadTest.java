package io.sluice.binlog;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.devservices.EmbeddedMariaDb;
import io.sluice.state.JdbcStateStore;
import io.sluice.testkit.LinkApi;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.sluice.binlog.ChangeTopic.awaitReplayEqualsTable;
import static io.sluice.binlog.ChangeTopic.insertRange;
import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full load stopped in the middle (twice), rows it had sent deleted at the source before the repeated full load
 * read them: the repeated full load does not contain them and its binlog position is after their deletes, so without
 * more a consumer replaying the topic would keep them for ever (phantom rows). The link reads the binlog again from
 * where the first, interrupted full load began ({@link FullLoadStart}): the DELETEs arrive and the topic replayed by
 * key equals the table, with the file state store and with the JDBC one; a column added during the interrupted full
 * load is read with the schema of its time, also after a later restart.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogInterruptedFullLoadTest {

    private static final int ROWS = 2_000;

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    @Test
    void aStoppedFullLoadLeavesNoRowDeletedMeanwhileWithTheFileStateStore() {
        Path state = Path.of(ConfigProvider.getConfig().getValue("sluice.state.dir", String.class), "ifl-file")
                .resolve(FullLoadStart.FILE);
        stopTwiceDuringTheFullLoad("ifl-file", "ifl_file", 7401, "");
        assertFalse(Files.exists(state), "the full load's start is forgotten once the binlog is read from it");
    }

    @Test
    void aStoppedFullLoadLeavesNoRowDeletedMeanwhileWithTheJdbcStateStore() throws Exception {
        TestServers.stateMariaDb().execute("CREATE DATABASE ifl_state");
        stopTwiceDuringTheFullLoad("ifl-jdbc", "ifl_jdbc", 7402, "&stateStore=jdbc&stateJdbcUrl="
                + TestServers.stateMariaDb().jdbcUrl("ifl_state") + "&stateJdbcUser=" + EmbeddedMariaDb.ADMIN_USER
                + "&stateJdbcPassword=" + EmbeddedMariaDb.ADMIN_PASSWORD);
        try (var c = TestServers.stateMariaDb().adminConnection(); var st = c.createStatement();
             // the link's own row; the table also keeps, under '<link>/added-tables', what its selection covers
             var rs = st.executeQuery("SELECT COUNT(*) FROM ifl_state." + JdbcStateStore.FULL_LOAD_TABLE
                     + " WHERE link_id = 'ifl-jdbc'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the full load's start is forgotten once the binlog is read from it");
        }
    }

    private void stopTwiceDuringTheFullLoad(String link, String db, int serverId, String stateOptions) {
        String topic = "ifl." + link;
        sql("CREATE DATABASE " + db + "; CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        for (int from = 0; from < ROWS; from += 500) {
            insertRange(db + ".t", from, from + 500);
        }
        LinkApi.addLink(link, "mysql-binlog:" + link + "?dataSource=test-mariadb&serverId=" + serverId + "&databases=" + db
                        + "&maxBatchSize=100&fullRowsPerSecond=500&offsetFlushIntervalMs=200&heartbeatIntervalMs=500"
                        + stateOptions,
                "kafka-change:" + topic + "?brokers=" + TestServers.kafka().bootstrapServers()
                        + "&createTopics=true&format=canal-json&partitionPolicy=by-primary-key&partitions=2");

        // the first full load, stopped after a fifth of the rows; rows it sent are deleted, others changed
        awaitRowsSent(topic, ROWS / 5);
        api().post("/api/links/" + link + "/stop").then().statusCode(200).body("state", equalTo("stopped"));
        Set<String> sentFirst = keysSent(topic);
        assertTrue(sentFirst.size() < ROWS, "stopped during the full load: " + sentFirst.size() + " rows sent");
        sql("DELETE FROM " + db + ".t WHERE id < 300 AND id % 3 = 0");
        sql("UPDATE " + db + ".t SET n = n + 1000 WHERE id % 7 = 0");
        sql("ALTER TABLE " + db + ".t ADD COLUMN extra VARCHAR(10) DEFAULT 'x'");
        sql("UPDATE " + db + ".t SET extra = 'y', v = 'after-alter' WHERE id % 11 = 0");
        insertRange(db + ".t", ROWS, ROWS + 50);

        // the second full load, stopped too, with more deletes meanwhile
        long before = ChangeTopic.count(topic);
        api().post("/api/links/" + link + "/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ChangeTopic.count(topic) >= before + ROWS / 5);
        api().post("/api/links/" + link + "/stop").then().statusCode(200).body("state", equalTo("stopped"));
        sql("DELETE FROM " + db + ".t WHERE id >= 300 AND id < 600 AND id % 3 = 0");

        // the third attempt completes; the binlog from the first attempt's start brings every delete
        api().post("/api/links/" + link + "/start").then().statusCode(200);
        sql("UPDATE " + db + ".t SET n = -n WHERE id % 13 = 0");
        awaitReplayEqualsTable(topic, db, "t");
        api().get("/api/links/" + link).then().body("state", equalTo("running"));

        // a restart after it: the schema history recovered to the later position gives the table with its column
        api().post("/api/links/" + link + "/stop").then().statusCode(200);
        api().post("/api/links/" + link + "/start").then().statusCode(200);
        sql("UPDATE " + db + ".t SET extra = 'z', n = n + 1 WHERE id % 17 = 0; DELETE FROM " + db + ".t WHERE id % 19 = 0");
        awaitReplayEqualsTable(topic, db, "t");
        // rows changed after the ALTER carry the added column (the others have it from its DEFAULT, without a change)
        var table = ChangeTopic.rows(db, "t", "id", List.of("id", "extra"));
        var replayed = ChangeTopic.replay(ChangeTopic.messages(topic), db, "t", "id", List.of("id", "extra"));
        table.keySet().removeIf(id -> Integer.parseInt(id) % 11 != 0 && Integer.parseInt(id) % 17 != 0);
        replayed.keySet().retainAll(table.keySet());
        assertEquals(table, replayed, "the added column's values too");
        api().get("/api/links/" + link).then().body("state", equalTo("running"));
        api().delete("/api/links/" + link).then().statusCode(204);
    }

    private static void awaitRowsSent(String topic, int rows) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> ChangeTopic.count(topic) >= rows);
    }

    private static Set<String> keysSent(String topic) {
        Set<String> keys = new TreeSet<>();
        ChangeTopic.messages(topic).stream().filter(m -> m.getData() != null)
                .forEach(m -> m.getData().forEach(r -> keys.add(r.get("id"))));
        return keys;
    }
}
