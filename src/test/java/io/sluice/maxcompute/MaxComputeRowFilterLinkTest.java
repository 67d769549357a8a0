package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.data.Record;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The MySQL -> MaxCompute link with a row filter, a table and a column rename, and MaxCompute's default
 * capitalization (lowercase): the renamed {@code <new name>_base} gets the filtered full load, {@code _log} the
 * filtered changes, under the new lowercase names; nothing is written under the source name.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class MaxComputeRowFilterLinkTest {

    @Test
    void renamedAndFilteredTablesReachBaseAndLog() throws Exception {
        TestServers.mariaDb().execute("CREATE DATABASE rf_mc; CREATE TABLE rf_mc.Items (id INT PRIMARY KEY, Qty INT, "
                + "Label VARCHAR(10)); INSERT INTO rf_mc.Items VALUES (1, 5, 'few'), (2, 20, 'many')");
        String yaml = """
                - route:
                    id: rf-mc
                    from:
                      uri: "mysql-binlog:rf-mc"
                      parameters:
                        dataSource: test-mariadb
                        serverId: 7303
                        databases: rf_mc
                        filters: "rf_mc.Items=Qty >= 10"
                        renameTables: "rf_mc.Items=Stock_RF"
                        renameColumns: "rf_mc.Items.Qty=Quantity"
                      steps:
                        - to: "maxcompute:rf?dataSource=demo"
                """;
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).contentType("application/yaml")
                .body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                McTables.target().odps().tables().exists("stock_rf_base") && McTables.read("stock_rf_base", null).size() == 1);
        List<Record> base = McTables.read("stock_rf_base", null);
        assertEquals(List.of("id", "quantity", "label"), names(base.get(0)), "renamed, lowercase (MaxCompute's default)");
        assertEquals("2 20 many", base.get(0).get("id") + " " + base.get(0).get("quantity") + " " + base.get(0).get("label"));

        TestServers.mariaDb().execute("INSERT INTO rf_mc.Items VALUES (3, 50, 'in'); INSERT INTO rf_mc.Items VALUES (4, 1, 'out'); "
                + "UPDATE rf_mc.Items SET Qty = 100 WHERE id = 4; UPDATE rf_mc.Items SET Label = 'x' WHERE id = 1; "
                + "DELETE FROM rf_mc.Items WHERE id = 2; DELETE FROM rf_mc.Items WHERE id = 1; "
                + "INSERT INTO rf_mc.Items VALUES (9, 90, 'last')");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                McTables.target().odps().tables().exists("stock_rf_log")
                        && log().stream().anyMatch(r -> r.endsWith(" 9 90 last")));
        assertEquals(List.of(
                "I NY 3 50 in",
                "U YN 4 1 out",   // moves into the filter: both images, as DTS writes an UPDATE
                "U NY 4 100 out",
                "D YN 2 20 many",
                "I NY 9 90 last"), log(), "row 1 (outside the filter) is neither updated nor deleted in MaxCompute");
        assertFalse(McTables.target().odps().tables().exists("items_base"), "nothing under the source name");
        // the local MaxCompute, like the real one, matches names case-insensitively: the run log shows the names written
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).get("/api/links/rf-mc").then()
                .statusCode(200).body("runLog.message", hasItem(startsWith("writing rf_mc.stock_rf into stock_rf_base")));
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).delete("/api/links/rf-mc").then()
                .statusCode(204);
    }

    private static List<String> names(Record r) {
        return Arrays.stream(r.getColumns()).map(Column::getName).toList();
    }

    /** The _log rows in record_id order: flag, before/after flags, id, quantity, label. */
    private static List<String> log() throws Exception {
        return McTables.log("stock_rf_log", "id", "quantity", "label");
    }
}
