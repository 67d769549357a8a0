package io.sluice.binlog;

import com.alibaba.otter.canal.protocol.FlatMessage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MySQL -> Kafka link with row filter conditions and object renames: the database filters the full load, the
 * source filters binlog changes (an UPDATE kept when its before or after image matches), the destination names reach
 * the Canal JSON messages and the topic mapping; a filter that cannot run fails the link at its start.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogRowFilterTest {

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    /** A link whose source options are given as a YAML flow map (values as they are, no URI encoding by hand). */
    private static void addLink(String id, String source, Map<String, String> options, String sink) {
        String parameters = options.entrySet().stream().map(o -> o.getKey() + ": \"" + o.getValue() + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "{ ", " }"));
        String yaml = "- route:\n    id: " + id + "\n    from:\n      uri: \"" + source + "\"\n      parameters: " + parameters
                + "\n      steps:\n        - to: \"" + sink + "\"\n";
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
    }

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    /** One statement, which may hold a ';' in a string (the test kit's execute splits at every ';'). */
    private static void statement(String sql) {
        try (java.sql.Connection c = TestServers.mariaDb().adminConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The row changes (type and id) of the topic's messages, in order. */
    private static List<String> rowEvents(List<FlatMessage> messages) {
        return messages.stream().filter(m -> !Boolean.TRUE.equals(m.getIsDdl()))
                .flatMap(m -> m.getData().stream().map(row -> m.getType() + " " + row.get("id"))).toList();
    }

    @Test
    void theFullLoadAndTheChangesAreFilteredAndArriveUnderTheirNewNames() {
        sql("CREATE DATABASE rf_src; CREATE TABLE rf_src.Orders (id INT PRIMARY KEY, amount INT, Status VARCHAR(10), "
                + "note VARCHAR(40))");
        statement("INSERT INTO rf_src.Orders VALUES (1, 150, 'ok', 'in'), (2, 50, 'ok', 'low'), "
                + "(3, 200, 'x;y', 'excluded status'), (4, 300, NULL, 'null status: unknown'), "
                + "(5, 120, 'X;Y', 'excluded status, other case')");
        // the source written with its kamelet: the filter's quotes, ';' and '>' pass through the kamelet unchanged
        addLink("rf-kafka", "kamelet:mysql-binlog-source", new java.util.LinkedHashMap<>(Map.of(
                "name", "rf-kafka", "dataSource", "test-mariadb", "serverId", "7301", "databases", "rf_src",
                "filters", "rf_src.Orders=amount > 100 AND Status <> 'x;y'",
                "renameDatabases", "rf_src=rf_dst", "renameTables", "rf_src.Orders=orders_out",
                "renameColumns", "rf_src.Orders.amount=total")),
                // topics are mapped by destination names (DTS: object name mapping names the destination)
                "kafka-change:rf.default?brokers=" + TestServers.kafka().bootstrapServers()
                        + "&createTopics=true&tableTopics=rf_dst.orders_out=rf.mapped");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                rowEvents(ChangeTopic.messages("rf.mapped")).size() == 1);
        assertEquals(List.of("INSERT 1"), rowEvents(ChangeTopic.messages("rf.mapped")),
                "the full load holds only the row inside the filter (NULL and the other-case 'X;Y' are outside)");

        sql("INSERT INTO rf_src.Orders VALUES (10, 500, 'ok', 'in')");
        sql("INSERT INTO rf_src.Orders VALUES (11, 5, 'ok', 'out')");
        statement("INSERT INTO rf_src.Orders VALUES (12, 500, 'X;Y', 'out: case-insensitive')");
        sql("UPDATE rf_src.Orders SET amount = 250 WHERE id = 2");       // moves in
        sql("UPDATE rf_src.Orders SET amount = 10 WHERE id = 1");        // moves out
        sql("UPDATE rf_src.Orders SET note = 'still out' WHERE id = 11"); // stays out
        sql("UPDATE rf_src.Orders SET note = 'stays in' WHERE id = 10");  // stays in
        sql("UPDATE rf_src.Orders SET Status = NULL WHERE id = 3");       // out before and after
        sql("DELETE FROM rf_src.Orders WHERE id = 10");                  // in
        sql("DELETE FROM rf_src.Orders WHERE id = 11");                  // out
        sql("DELETE FROM rf_src.Orders WHERE id = 1");                   // out (moved out above)
        sql("INSERT INTO rf_src.Orders VALUES (99, 999, 'ok', 'last')");
        List<String> expected = List.of("INSERT 1", "INSERT 10", "UPDATE 2", "UPDATE 1", "UPDATE 10", "DELETE 10",
                "INSERT 99");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                rowEvents(ChangeTopic.messages("rf.mapped")).contains("INSERT 99"));
        List<FlatMessage> messages = ChangeTopic.messages("rf.mapped");
        assertEquals(expected, rowEvents(messages));
        // the default topic gets only the database's own DDL (CREATE DATABASE has no table to map), renamed too
        assertTrue(ChangeTopic.messages("rf.default").stream().allMatch(m -> Boolean.TRUE.equals(m.getIsDdl())
                && "rf_dst".equals(m.getDatabase()) && (m.getTable() == null || m.getTable().isEmpty())),
                String.valueOf(ChangeTopic.messages("rf.default")));

        for (FlatMessage m : messages) {
            assertEquals("rf_dst", m.getDatabase(), String.valueOf(m));
            assertEquals("orders_out", m.getTable(), String.valueOf(m));
        }
        FlatMessage movedOut = messages.stream().filter(m -> "UPDATE".equals(m.getType())
                && "1".equals(m.getData().get(0).get("id"))).findFirst().orElseThrow();
        assertEquals(java.util.Set.of("id", "total", "Status", "note"), movedOut.getData().get(0).keySet(),
                "renamed column; Kafka's default capitalization keeps the source's case");
        assertEquals("10", movedOut.getData().get(0).get("total"));
        assertEquals(Map.of("total", "150"), movedOut.getOld().get(0), "the before image under the new name");
        assertEquals(List.of("id"), movedOut.getPkNames());
        assertTrue(movedOut.getMysqlType().containsKey("total") && !movedOut.getMysqlType().containsKey("amount"));
        assertTrue(messages.stream().anyMatch(m -> Boolean.TRUE.equals(m.getIsDdl()) && m.getSql().contains("CREATE TABLE")),
                "the snapshot's CREATE TABLE keeps its SQL text, under the new database and table");
        api().get("/api/links/rf-kafka/precheck").then().statusCode(200)
                .body("find { it.item == 'filter conditions' }.status", equalTo("pass"));
        api().delete("/api/links/rf-kafka").then().statusCode(204);
    }

    @Test
    void aFilterThatCannotRunFailsTheLinkAtItsStartNamingTableConditionAndFix() {
        sql("CREATE DATABASE rf_bad; CREATE TABLE rf_bad.t (id INT PRIMARY KEY, v VARCHAR(10)); "
                + "CREATE TABLE rf_bad.u (id INT PRIMARY KEY, v VARCHAR(10)); CREATE TABLE rf_bad.w (id INT PRIMARY KEY)");
        addLink("rf-bad", "mysql-binlog:rf-bad", new java.util.LinkedHashMap<>(Map.of(
                "dataSource", "test-mariadb", "serverId", "7302", "databases", "rf_bad",
                "filters", "rf_bad.t=nope > 1;rf_bad.u=UPPER(v) = 'A';RF_BAD.w=id > 0")),
                "kafka-change:rf.bad?brokers=" + TestServers.kafka().bootstrapServers() + "&createTopics=true");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/rf-bad").then()
                .body("state", equalTo("failed"))
                .body("lastError", allOf(containsString("link rf-bad"), containsString("[filter conditions]"),
                        containsString("rf_bad.t (condition: nope > 1): unknown column nope; the table has id, v"),
                        containsString("rf_bad.u (condition: UPPER(v) = 'A'): 'UPPER(v)' is not supported"),
                        // the full load's statement is chosen by the exact name
                        containsString("RF_BAD.w (condition: id > 0): write the table as rf_bad.w"),
                        containsString("fix: correct the link's filters option"))));
        assertEquals(List.of(), ChangeTopic.readAll("rf.bad"), "nothing was read");
        api().delete("/api/links/rf-bad").then().statusCode(204);
    }
}
