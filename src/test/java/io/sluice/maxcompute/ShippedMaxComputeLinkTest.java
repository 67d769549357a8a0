package io.sluice.maxcompute;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped example link routes/dts-mysql-maxcompute.yaml, as every test run loads it: the test kit's MariaDB
 * (demo.orders, snapshot + binlog) into the test kit's local MaxCompute, through the real SDK.
 */
@QuarkusTest
class ShippedMaxComputeLinkTest {

    @Test
    void theShippedLinkCreatesBaseAndLogTablesAndWritesChanges() throws Exception {
        TestServers.mariaDb().execute("INSERT INTO demo.orders (id, customer, amount, created_at) VALUES "
                + "(990001, 'mc-example', 12.50, NOW(3)) ON DUPLICATE KEY UPDATE amount = 12.50");
        await().atMost(Duration.ofSeconds(90)).until(() -> McTables.target().odps().tables().exists("orders_base")
                && McTables.target().odps().tables().exists("orders_log"));
        TestServers.mariaDb().execute("UPDATE demo.orders SET amount = 99.99 WHERE id = 990001");
        await().atMost(Duration.ofSeconds(90)).until(() -> McTables.readAllPartitions("orders_log").stream()
                .anyMatch(r -> "990001".equals(String.valueOf(r.get("id"))) && "99.99".equals(String.valueOf(r.get("amount")))));
        given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN).get("/api/links/dts-mysql-maxcompute")
                .then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("running"));
        assertTrue(McTables.readAllPartitions("orders_log").stream()
                .anyMatch(r -> "U".equals(r.getString("new_dts_sync_operation_flag"))), "an update is logged with flag U (namingRule=new: the additional columns carry the new_dts_sync_ prefix)");
    }
}
