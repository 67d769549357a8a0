package io.sluice.maxcompute;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 003's merge over what the MySQL -> MaxCompute link itself wrote: the test kit's MariaDB binlog, the link added
 * through the API, the local MaxCompute server. Snapshot plus inserts, an update of the primary key, deletes and an
 * ADD COLUMN in the middle; the merge SQL of GET /api/links/{id}/merge-sql, run over the {@code _base} and
 * {@code _log} rows read back, equals the source table at a time T between the changes and at the end. A table without
 * a key (tablesWithoutKey=sync) is written, but its merge SQL is refused with the reason.
 */
@QuarkusTest
class MaxComputeLinkMergeTest {

    private static final String DB = "mc_link_merge";

    @Test
    void theMergeOfWhatTheLinkWroteIsTheSourceTableAtTAndAtTheEnd() throws Exception {
        sql("DROP DATABASE IF EXISTS " + DB + "; CREATE DATABASE " + DB + "; CREATE TABLE " + DB + ".lm_orders (id INT PRIMARY KEY, "
                + "v VARCHAR(20), amount DECIMAL(10,2)); INSERT INTO " + DB + ".lm_orders VALUES (1, 'a', 1.50), "
                + "(2, 'b', 2.00), (3, 'c', NULL), (5, 'e', 5.00)");
        api().contentType("application/yaml").body("""
                - route:
                    id: mc-link-merge
                    from:
                      uri: "mysql-binlog:mc-link-merge?dataSource=test-mariadb&serverId=7311&databases=%s"
                      steps:
                        - to: "maxcompute:link-merge?dataSource=demo"
                """.formatted(DB).getBytes(StandardCharsets.UTF_8)).post("/api/links").then().statusCode(201);
        await().atMost(Duration.ofSeconds(120)).until(() -> McTables.target().odps().tables().exists("lm_orders_base")
                && McTables.read("lm_orders_base", null).size() == 4);

        // changes before T: inserts, an update of the key, an update, a delete
        sql("INSERT INTO " + DB + ".lm_orders VALUES (4, 'd', 4.00), (6, 'f', 6.00)");
        sql("UPDATE " + DB + ".lm_orders SET id = 50 WHERE id = 5");
        sql("BEGIN; UPDATE " + DB + ".lm_orders SET v = 'a2' WHERE id = 1; DELETE FROM " + DB + ".lm_orders WHERE id = 2;"
                + " COMMIT");
        Thread.sleep(1_100);
        long t = Instant.now().getEpochSecond(); // every change above is before T (binlog times are whole seconds)
        List<String> atT = MergeCheck.source(DB, "lm_orders", List.of("id", "v", "amount"));
        Thread.sleep(1_100);
        // after T: an ADD COLUMN in the middle, rows that carry it, another key update, a delete, a re-insert
        sql("ALTER TABLE " + DB + ".lm_orders ADD COLUMN note VARCHAR(10)");
        sql("INSERT INTO " + DB + ".lm_orders VALUES (7, 'g', 7.00, 'new')");
        sql("UPDATE " + DB + ".lm_orders SET note = 'n3', amount = 3.25 WHERE id = 3");
        sql("UPDATE " + DB + ".lm_orders SET id = 60, note = 'moved' WHERE id = 6");
        sql("DELETE FROM " + DB + ".lm_orders WHERE id = 4");
        sql("INSERT INTO " + DB + ".lm_orders VALUES (2, 'b-again', 2.50, NULL)");

        List<String> atEnd = MergeCheck.source(DB, "lm_orders", List.of("id", "v", "amount", "note"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertEquals(atEnd, MergeCheck.merge(mergeSql(Instant.now().getEpochSecond() + 3600), "lm_orders")));
        assertEquals(atT, MergeCheck.merge(mergeSql(t), "lm_orders").stream()
                .map(r -> r.substring(0, r.lastIndexOf('|'))).toList(), "at T (the column added later is NULL)");
        assertEquals(List.of("1|a2|1.50", "3|c|null", "4|d|4.00", "50|e|5.00", "6|f|6.00"), atT);
        api().delete("/api/links/mc-link-merge").then().statusCode(204);
    }

    /**
     * tablesWithoutKey=sync into MaxCompute: a table without a key gets its full load in {@code _base} and its changes,
     * with the additional columns, in {@code _log}; the precheck warns that its merge SQL is refused, and the merge-sql
     * API refuses it with the reason.
     */
    @Test
    void aTableWithoutAKeyIsWrittenToBaseAndLogButItsMergeSqlIsRefused() throws Exception {
        sql("DROP DATABASE IF EXISTS mc_keyless; CREATE DATABASE mc_keyless; CREATE TABLE mc_keyless.kl_events (id INT, "
                + "v VARCHAR(20)); INSERT INTO mc_keyless.kl_events VALUES (1, 'a'), (2, 'b')");
        api().contentType("application/yaml").body("""
                - route:
                    id: mc-keyless
                    from:
                      uri: "mysql-binlog:mc-keyless?dataSource=test-mariadb&serverId=7391&databases=mc_keyless&tablesWithoutKey=sync"
                      steps:
                        - to: "maxcompute:keyless?dataSource=demo"
                """.getBytes(StandardCharsets.UTF_8)).post("/api/links").then().statusCode(201);
        api().get("/api/links/mc-keyless/precheck").then().statusCode(200)
                .body("find { it.item == 'primary key' }.status", equalTo("warn"))
                .body("find { it.item == 'primary key' }.detail", containsString("mc_keyless.kl_events"))
                .body("find { it.item == 'primary key' }.detail", containsString("MaxCompute: "))
                .body("find { it.item == 'primary key' }.detail", containsString("so its merge SQL is refused"));
        await().atMost(Duration.ofSeconds(120)).until(() -> McTables.target().odps().tables().exists("kl_events_base")
                && McTables.read("kl_events_base", null).size() == 2);
        assertEquals(List.of("1 a", "2 b"), McTables.read("kl_events_base", null).stream()
                .map(r -> r.get("id") + " " + r.get("v")).sorted().toList());

        sql("INSERT INTO mc_keyless.kl_events VALUES (3, 'c'); UPDATE mc_keyless.kl_events SET v = 'b2' WHERE id = 2; "
                + "DELETE FROM mc_keyless.kl_events WHERE id = 1");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                McTables.target().odps().tables().exists("kl_events_log") && McTables.log("kl_events_log").size() == 4);
        assertEquals(List.of("I NY 3 c", "U YN 2 b", "U NY 2 b2", "D YN 1 a"), McTables.log("kl_events_log", "id", "v"),
                "the update's and the delete's whole rows before the change");
        for (com.aliyun.odps.data.Record r : McTables.readAllPartitions("kl_events_log")) {
            assertTrue(r.getBigint("new_dts_sync_record_id") > 0 && r.getBigint("new_dts_sync_utc_timestamp") > 0,
                    "record_id and utc_timestamp set: " + r);
        }
        api().get("/api/links/mc-keyless/merge-sql?table=kl_events&time=" + (Instant.now().getEpochSecond() + 60)).then()
                .statusCode(409)
                .body("error", containsString("table mc_keyless.kl_events has no primary key"))
                .body("error", containsString("rows of the _log table cannot be matched to _base rows"));
        api().delete("/api/links/mc-keyless").then().statusCode(204);
    }

    private static String mergeSql(long time) {
        return api().get("/api/links/mc-link-merge/merge-sql?table=lm_orders&time=" + time).then().statusCode(200)
                .extract().asString();
    }

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    private static RequestSpecification api() {
        return RestAssured.given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }
}
