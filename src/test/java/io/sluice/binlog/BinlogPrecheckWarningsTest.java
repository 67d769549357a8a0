package io.sluice.binlog;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sluice.testkit.LinkApi.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The precheck's warnings (DTS's precheck alerts: shown with their fix, never blocking a start), each triggered by a
 * real setting of the test kit's MariaDB: a binlog retention of one day, the server made a replica (of a primary that
 * does not exist, never started) with log_slave_updates OFF, an invisible column in a selected table. The MariaDB is
 * shared by every test of the JVM: each setting is restored in finally.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogPrecheckWarningsTest {

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    private static String definition(String id, int serverId, String tables) {
        return """
                - route:
                    id: %s
                    autoStartup: false
                    from:
                      uri: "mysql-binlog:%s?dataSource=test-mariadb&serverId=%d&tables=%s"
                      steps:
                        - to: "kafka-change:%s?brokers=%s&createTopics=true&format=canal-json"
                """.formatted(id, id, serverId, tables, id, TestServers.kafka().bootstrapServers());
    }

    @Test
    void aBinlogRetentionBelowSevenDaysWarnsWithItsFixAndTheLinkStillStarts() {
        sql("CREATE DATABASE cdc_retention; CREATE TABLE cdc_retention.t (id INT PRIMARY KEY); INSERT INTO cdc_retention.t VALUES (1)");
        String yaml = definition("cdc-retention", 7261, "cdc_retention.t");
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        long before = TestServers.queryLong("SELECT @@global.binlog_expire_logs_seconds");
        assertEquals(0, before, "the test server keeps its binary logs (MariaDB's default)");
        api().get("/api/links/cdc-retention/precheck").then().statusCode(200)
                .body("find { it.item == 'binlog retention' }.status", equalTo("pass"))
                .body("find { it.item == 'binlog retention' }.detail", containsString("never removed"));
        try {
            sql("SET GLOBAL binlog_expire_logs_seconds = 86400");
            api().get("/api/links/cdc-retention/precheck").then().statusCode(200)
                    .body("find { it.item == 'binlog retention' }.status", equalTo("warn"))
                    .body("find { it.item == 'binlog retention' }.detail", containsString("binlog_expire_logs_seconds is 86400"))
                    .body("find { it.item == 'binlog retention' }.detail", containsString("1.0 days"))
                    .body("find { it.item == 'binlog retention' }.detail", containsString("3 days on RDS"))
                    .body("find { it.item == 'binlog retention' }.fix", containsString("binlog_expire_logs_seconds = 604800"));
            // the dry run shows the warning and counts no problem (the console's Save stays possible)
            api().contentType("application/yaml").body(yaml.replace("cdc-retention", "cdc-retention-check").getBytes())
                    .post("/api/links/check").then().statusCode(200)
                    .body("precheck.find { it.item == 'binlog retention' }.status", equalTo("warn"))
                    .body("problems", empty());
            // a warning does not block the start: the link runs and delivers the table's row
            api().post("/api/links/cdc-retention/start").then().statusCode(200);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> api().get("/api/links/cdc-retention").then()
                    .body("state", equalTo("running")).body("lastError", nullValue()));
            await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.messages("cdc-retention").stream()
                    .anyMatch(m -> "INSERT".equals(m.getType())));
        } finally {
            sql("SET GLOBAL binlog_expire_logs_seconds = " + before);
            api().delete("/api/links/cdc-retention");
        }
    }

    @Test
    void aReplicaWithoutLogSlaveUpdatesWarns() {
        sql("CREATE DATABASE cdc_replica; CREATE TABLE cdc_replica.t (id INT PRIMARY KEY)");
        api().contentType("application/yaml").body(definition("cdc-replica", 7262, "cdc_replica.t").getBytes())
                .post("/api/links").then().statusCode(201);
        assertEquals(0, TestServers.queryLong("SELECT @@global.log_slave_updates"), "log_slave_updates is OFF on the test server");
        api().get("/api/links/cdc-replica/precheck").then().statusCode(200)
                .body("find { it.item == 'log_slave_updates' }.status", equalTo("pass"))
                .body("find { it.item == 'log_slave_updates' }.detail", containsString("not a replica"));
        try {
            // a replica of a primary that does not exist, never started: SHOW SLAVE STATUS has its row. The CDC
            // privileges of MariaDB 10.5+ do not include SLAVE MONITOR, which that statement needs
            sql("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=1, MASTER_USER='x'");
            api().get("/api/links/cdc-replica/precheck").then().statusCode(200)
                    .body("find { it.item == 'log_slave_updates' }.status", equalTo("pass"))
                    .body("find { it.item == 'log_slave_updates' }.detail", containsString("GRANT SLAVE MONITOR"));
            sql("GRANT SLAVE MONITOR ON *.* TO 'sluice'@'%'");
            api().get("/api/links/cdc-replica/precheck").then().statusCode(200)
                    .body("find { it.item == 'log_slave_updates' }.status", equalTo("warn"))
                    .body("find { it.item == 'log_slave_updates' }.detail", containsString("replica of 127.0.0.1:1"))
                    .body("find { it.item == 'log_slave_updates' }.fix", containsString("log_slave_updates=ON"))
                    .body("find { it.item == 'privileges' }.status", equalTo("pass"));
        } finally {
            try {
                sql("RESET SLAVE ALL");
            } finally {
                sql("REVOKE SLAVE MONITOR ON *.* FROM 'sluice'@'%'");
                api().delete("/api/links/cdc-replica");
            }
        }
    }

    @Test
    void anInvisibleColumnInASelectedTableWarns() {
        sql("CREATE DATABASE cdc_invisible; CREATE TABLE cdc_invisible.t (id INT PRIMARY KEY, v INT); "
                + "CREATE TABLE cdc_invisible.other (id INT PRIMARY KEY, hidden INT INVISIBLE)");
        api().contentType("application/yaml").body(definition("cdc-invisible", 7263, "cdc_invisible.t").getBytes())
                .post("/api/links").then().statusCode(201);
        try {
            api().get("/api/links/cdc-invisible/precheck").then().statusCode(200)
                    .body("find { it.item == 'invisible columns' }.status", equalTo("pass"));
            sql("ALTER TABLE cdc_invisible.t ADD COLUMN hidden_col INT INVISIBLE");
            api().get("/api/links/cdc-invisible/precheck").then().statusCode(200)
                    .body("find { it.item == 'invisible columns' }.status", equalTo("warn"))
                    .body("find { it.item == 'invisible columns' }.detail", containsString("cdc_invisible.t.hidden_col"))
                    .body("find { it.item == 'invisible columns' }.detail", not(containsString("cdc_invisible.other")))
                    .body("find { it.item == 'invisible columns' }.fix", containsString("SET VISIBLE"));
        } finally {
            api().delete("/api/links/cdc-invisible");
        }
    }
}
