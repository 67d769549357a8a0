package io.sluice.adb;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of bad input sent through a running link (dirtyDataMode=null): the bad field is written as NULL, or
 * the record only reaches the dead-letter channel when it cannot be written at all, with a reason naming the
 * field, the value and the column type; good records around it are written and the link keeps running.
 */
@QuarkusTest
class KafkaToAdbBadInputTest {

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    /** message id -> (message, what its dead-letter reason says; null: the message is good). */
    private static final Map<Integer, String[]> CASES = new LinkedHashMap<>();

    static {
        String good = "\"nn\":\"x\"";
        CASES.put(1, new String[]{"{\"id\":1," + good + ",\"ti\":5,\"dec\":1.25,\"d\":\"2024-03-01\",\"b\":true}", null});
        CASES.put(2, new String[]{"{\"id\":2," + good + ",\"ti\":\"abc\"}", "is not an integer"});
        CASES.put(3, new String[]{"{\"id\":3," + good + ",\"ti\":300}", "out of range"});
        CASES.put(4, new String[]{"{\"id\":4," + good + ",\"big\":-1}", "out of range 0..18446744073709551615"});
        CASES.put(5, new String[]{"{\"id\":5," + good + ",\"dec\":\"12x\"}", "is not a number"});
        CASES.put(6, new String[]{"{\"id\":6," + good + ",\"dec\":12345.5}", "DECIMAL(5,2)"});
        CASES.put(7, new String[]{"{\"id\":7," + good + ",\"dbl\":\"many\"}", "is not a number"});
        CASES.put(8, new String[]{"{\"id\":8," + good + ",\"vc\":\"toolong\"}", "more than the 5 allowed"});
        CASES.put(9, new String[]{"{\"id\":9," + good + ",\"d\":\"2024-02-30\"}", "is not a valid date/time"});
        CASES.put(10, new String[]{"{\"id\":10," + good + ",\"dt\":\"yesterday\"}", "date/time"});
        // BOOLEAN is TINYINT(1) in MySQL and MariaDB: it takes numbers and true/false
        CASES.put(11, new String[]{"{\"id\":11," + good + ",\"b\":\"maybe\"}", "is not an integer"});
        CASES.put(12, new String[]{"{\"id\":12," + good + ",\"t\":\"noon\"}", "is not a time"});
        CASES.put(13, new String[]{"{\"id\":13,\"nn\":null}", "NOT NULL"});
        CASES.put(14, new String[]{"[1,2,3]", "top-level JSON must be an object"});
        CASES.put(15, new String[]{"42", "top-level JSON must be an object"});
        CASES.put(16, new String[]{"{not json", "not valid JSON"});
        CASES.put(17, new String[]{"{\"id\":17," + good + ",\"ti\":-7,\"vc\":\"abcde\",\"dt\":\"2024-03-01T10:00:00\"}", null});
    }

    @Test
    void everyKindOfBadInputIsDirtyDataAndTheLinkGoesOn() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.kinds (id INT PRIMARY KEY, ti TINYINT, big BIGINT UNSIGNED, "
                + "`dec` DECIMAL(5,2), dbl DOUBLE, vc VARCHAR(5), d DATE, dt DATETIME, b BOOLEAN, t TIME, "
                + "nn VARCHAR(10) NOT NULL)");
        api().contentType("application/yaml").body("""
                - route:
                    id: kinds
                    from:
                      uri: "kafka-json:kinds"
                      parameters:
                        brokers: "{{kafka.bootstrap.servers}}"
                      steps:
                        - to: "adb:demo.kinds?dirtyDataMode=null"
                """.getBytes()).post("/api/links").then().statusCode(201);
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            for (String[] c : CASES.values()) {
                p.send(new ProducerRecord<>("kinds", "k", c[0])).get(); // one partition key: offsets follow the ids
            }
        }
        long writable = CASES.keySet().stream().filter(id -> id <= 12 || id == 17).count(); // 13-16 cannot be rows
        await().atMost(Duration.ofSeconds(60)).until(() -> TestServers.queryLong("SELECT COUNT(*) FROM demo.kinds") == writable);

        // the good rows are exact; each row with one bad field has that field NULL and the rest written
        assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM demo.kinds WHERE id = 1 AND ti = 5 AND `dec` = 1.25 "
                + "AND d = '2024-03-01' AND b = 1"));
        assertEquals(1, TestServers.queryLong("SELECT COUNT(*) FROM demo.kinds WHERE id = 17 AND ti = -7 AND vc = 'abcde' "
                + "AND dt = '2024-03-01 10:00:00'"));
        assertEquals(11, TestServers.queryLong("SELECT COUNT(*) FROM demo.kinds WHERE id BETWEEN 2 AND 12 AND nn = 'x' "
                + "AND ti IS NULL AND big IS NULL AND `dec` IS NULL AND dbl IS NULL AND vc IS NULL AND d IS NULL "
                + "AND dt IS NULL AND b IS NULL AND t IS NULL"));
        assertEquals(0, TestServers.queryLong("SELECT COUNT(*) FROM demo.kinds WHERE id = 13"), "NULL into NOT NULL: not written");

        // one dead letter per bad record, naming its position and why
        List<Map<String, Object>> dirty = api().get("/api/links/kinds/dirty?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("$");
        long bad = CASES.values().stream().filter(c -> c[1] != null).count();
        assertEquals(bad, dirty.size(), String.valueOf(dirty));
        int offset = 0;
        for (String[] c : CASES.values()) {
            if (c[1] != null) {
                String position = ", offset " + offset; // one key: every message is in the same partition
                String why = c[1];
                assertTrue(dirty.stream().anyMatch(d -> String.valueOf(d.get("position")).endsWith(position)
                        && String.valueOf(d.get("reason")).contains(why) && c[0].equals(d.get("rawMessage"))),
                        "dead letter for " + c[0] + " at " + position + " saying '" + why + "' in " + dirty);
            }
            offset++;
        }
        api().get("/api/links/kinds").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("running"))
                .body("recordsDirty", org.hamcrest.Matchers.equalTo((int) bad));
        api().delete("/api/links/kinds").then().statusCode(204);
    }

    @Test
    void dirtyRecordsCanGoToAKafkaTopicInstead() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.dlt (id INT PRIMARY KEY, qty INT)");
        api().contentType("application/yaml").body("""
                - route:
                    id: dlt
                    from:
                      uri: "kafka-json:dlt"
                      parameters:
                        dataSource: test-cluster
                      steps:
                        - to: "adb:demo.dlt?dirtyDataMode=null&deadLetterTopic=sluice.dirty&deadLetterKafka=test-cluster"
                """.getBytes()).post("/api/links").then().statusCode(201);
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            p.send(new ProducerRecord<>("dlt", "k", "{\"id\":1,\"qty\":1}")).get();
            p.send(new ProducerRecord<>("dlt", "k", "{\"id\":2,\"qty\":\"many\"}")).get();
            p.send(new ProducerRecord<>("dlt", "k", "[]")).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> TestServers.queryLong("SELECT COUNT(*) FROM demo.dlt") == 2);
        // the entries are on the topic, keyed by the link, and readable through the API; the table channel is unused
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                Map.of("bootstrap.servers", TestServers.kafka().bootstrapServers(), "group.id", "dlt-check",
                        "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            c.subscribe(List.of("sluice.dirty"));
            List<String> seen = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.key() + " " + r.value()));
                return seen.size() >= 2;
            });
            assertEquals(2, seen.size(), String.valueOf(seen));
            assertTrue(seen.stream().allMatch(v -> v.startsWith("dlt {")), String.valueOf(seen));
            assertTrue(seen.stream().anyMatch(v -> v.contains("is not an integer") && v.contains("many")), String.valueOf(seen));
        }
        api().get("/api/links/dlt/dirty").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(2))
                .body("reason", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("top-level JSON must be an object")));
        assertEquals(0, TestServers.queryLong("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'demo' "
                + "AND table_name = 'sluice_dirty_data' AND EXISTS (SELECT 1 FROM demo.sluice_dirty_data WHERE link_id = 'dlt')"));
        api().delete("/api/links/dlt").then().statusCode(204);
    }
}
