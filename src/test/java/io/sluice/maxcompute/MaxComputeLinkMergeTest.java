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
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seed 003's merge over what the MySQL -> MaxCompute link itself wrote: the test kit's MariaDB binlog, the link added
 * through the API, the local MaxCompute server. Snapshot plus inserts, an update of the primary key, deletes and an
 * ADD COLUMN in the middle; the merge SQL of GET /api/links/{id}/merge-sql, run over the {@code _base} and
 * {@code _log} rows read back, equals the source table at a time T between the changes and at the end.
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
