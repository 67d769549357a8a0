package io.sluice.binlog;

import com.alibaba.otter.canal.protocol.FlatMessage;
import com.aliyun.dts.subscribe.clients.formats.avro.Record;
import com.aliyun.dts.subscribe.clients.record.DefaultUserRecord;
import com.aliyun.dts.subscribe.clients.record.OperationType;
import com.aliyun.dts.subscribe.clients.recordgenerator.AvroDeserializer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sluice.testkit.LinkApi.addLink;
import static io.sluice.testkit.LinkApi.api;
import static io.sluice.binlog.ChangeTopic.awaitReplayEqualsTable;
import static io.sluice.binlog.ChangeTopic.insertRange;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MySQL -> Kafka link against the test kit's MariaDB binlog and Kafka broker, links added through the API: the
 * snapshot and a mixed workload arrive in order per key (replayed with canal's FlatMessage they give the table's
 * rows), pause/resume and stop/start lose nothing, DTS Avro through the DTS SDK, the precheck, oversized records,
 * TIMESTAMP values in the source server's time zone.
 */
@QuarkusTest
@QuarkusTestResource(SluiceTestResource.class)
class BinlogToKafkaTest {

    /** The columns compared (an added column's DEFAULT fills existing rows without a row change). */
    private static final List<String> COLUMNS = List.of("id", "v", "n");

    private static String sink(String topic, String options) {
        return "kafka-change:" + topic + "?brokers=" + TestServers.kafka().bootstrapServers() + "&createTopics=true&" + options;
    }

    private static void sql(String statements) {
        TestServers.mariaDb().execute(statements);
    }

    @Test
    void snapshotThenMixedWorkloadArriveInOrderPerKeyAndPauseResumeStopStartLoseNothing() {
        sql("CREATE DATABASE cdc_main; CREATE TABLE cdc_main.orders (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("cdc_main.orders", 0, 200);
        sql("CREATE TABLE cdc_main.other (id INT PRIMARY KEY)");
        addLink("cdc-main", "mysql-binlog:cdc-main?dataSource=test-mariadb&serverId=7201&databases=cdc_main&tables=cdc_main.orders",
                sink("cdc.main", "format=canal-json&partitionPolicy=by-primary-key&partitions=3"));
        awaitReplayEqualsTable("cdc.main", "cdc_main", "orders");
        List<FlatMessage> snapshot = ChangeTopic.messages("cdc.main");
        assertEquals(200, snapshot.stream().filter(m -> "INSERT".equals(m.getType())).count(), "the full load, once");
        // Debezium's metrics summarize a change by its binlog position only (LastEventSummary): rendering its key, as
        // Debezium 3.4 does, built a Jackson ObjectMapper per change on the reader thread
        String lastEvent = debeziumLastEvent("snapshot", "cdc-main");
        assertTrue(lastEvent.matches("position: \\{((file|pos|row): [^,}]*(, )?)+}"), "position only, no key: " + lastEvent);

        // a mixed workload: inserts, updates of one key several times, deletes, a DDL, a multi-row transaction
        insertRange("cdc_main.orders", 200, 300);
        for (int round = 0; round < 5; round++) {
            sql("UPDATE cdc_main.orders SET n = n + 1000, v = 'u" + round + "' WHERE id % 7 = 0");
        }
        sql("DELETE FROM cdc_main.orders WHERE id % 5 = 1");
        sql("ALTER TABLE cdc_main.orders ADD COLUMN extra VARCHAR(10) DEFAULT 'x'");
        sql("START TRANSACTION; UPDATE cdc_main.orders SET extra = 'y' WHERE id < 50; DELETE FROM cdc_main.orders WHERE id = 2; "
                + "INSERT INTO cdc_main.orders (id, v, n) VALUES (2, 'again', 2); COMMIT");
        sql("INSERT INTO cdc_main.other VALUES (1); ALTER TABLE cdc_main.other ADD COLUMN c INT");
        awaitReplayEqualsTable("cdc.main", "cdc_main", "orders");
        List<FlatMessage> all = ChangeTopic.messages("cdc.main");
        assertTrue(all.stream().noneMatch(m -> "other".equals(m.getTable())), "neither rows nor DDL of a table not selected");
        assertTrue(all.stream().anyMatch(m -> Boolean.TRUE.equals(m.getIsDdl()) && m.getSql().contains("ADD COLUMN extra")
                && "ALTER".equals(m.getType())), "the DDL arrives");
        assertTrue(all.stream().noneMatch(m -> Boolean.TRUE.equals(m.getIsDdl())
                && (m.getSql().startsWith("SET") || m.getSql().startsWith("USE"))), "no snapshot noise");
        // the rows of one binlog rows event share a message per partition, as canal writes them; each row is named in
        // the message's position header (ChangeTopic.changes checks that), so no two changes share a position
        assertTrue(all.stream().anyMatch(m -> m.getData() != null && m.getData().size() > 1), "several rows in one message");
        assertTrue(ChangeTopic.positions(ChangeTopic.readAll("cdc.main")).entrySet().stream()
                .allMatch(e -> e.getKey().equals("snapshot") || e.getValue() == 1), "one position, one change");
        api().get("/api/links/cdc-main").then().body("state", equalTo("running"));

        // pause: nothing moves; resume continues from the position, nothing lost
        api().post("/api/links/cdc-main/pause").then().statusCode(200).body("state", equalTo("paused"));
        insertRange("cdc_main.orders", 300, 400);
        sql("UPDATE cdc_main.orders SET n = -n WHERE id >= 350");
        api().post("/api/links/cdc-main/resume").then().statusCode(200);
        awaitReplayEqualsTable("cdc.main", "cdc_main", "orders");

        // stop and start: the same
        api().post("/api/links/cdc-main/stop").then().statusCode(200).body("state", equalTo("stopped"));
        sql("DELETE FROM cdc_main.orders WHERE id >= 390");
        insertRange("cdc_main.orders", 400, 450);
        api().post("/api/links/cdc-main/start").then().statusCode(200);
        awaitReplayEqualsTable("cdc.main", "cdc_main", "orders");
        List<ConsumerRecord<byte[], byte[]>> records = ChangeTopic.readAll("cdc.main");
        long snapshotAgain = ChangeTopic.messages("cdc.main").stream().filter(m -> !Boolean.TRUE.equals(m.getIsDdl())).count();
        assertTrue(records.stream().allMatch(r -> ChangeTopic.header(r, "sluice.binlog") != null), "every message has its position");
        assertTrue(snapshotAgain < 200 + 1000, "no second full load after restart: " + snapshotAgain);
        api().get("/api/links/cdc-main").then().body("recordsOut", org.hamcrest.Matchers.greaterThan(400));
        // latency (source commit -> Kafka acknowledgement) is measured for every binlog change, not for full-load rows
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        java.util.regex.Matcher count = java.util.regex.Pattern
                .compile("sluice_link_latency_seconds_count\\{link=\"cdc-main\"[^}]*\\} ([0-9.E]+)").matcher(metrics);
        assertTrue(count.find(), "latency metric exported");
        assertTrue(Double.parseDouble(count.group(1)) >= 300, "one latency sample per binlog change: " + count.group(1));
        assertTrue(metrics.contains("sluice_link_latency_seconds{link=\"cdc-main\",quantile=\"0.99\""), "p99 exported");
        api().delete("/api/links/cdc-main").then().statusCode(204);
    }

    /**
     * Canal JSON writes TIMESTAMP values as the source server shows them: in its time_zone, which the source reads when
     * the link starts and hands to the sink with each batch; an explicit timeZone on the sink still wins. The server's
     * global zone is set to +05:30 for the test and put back after it.
     */
    @Test
    void timestampsAreInTheSourceServersTimeZoneUnlessTimeZoneIsSet() {
        String before = globalTimeZone();
        try {
            sql("SET GLOBAL time_zone = '+05:30'; CREATE DATABASE cdc_tz;"
                    + " CREATE TABLE cdc_tz.events (id INT PRIMARY KEY, ts TIMESTAMP(3) NULL);"
                    + " SET time_zone = '+00:00'; INSERT INTO cdc_tz.events VALUES (1, '2024-01-02 03:04:05.678')");
            String source = "mysql-binlog:%s?dataSource=test-mariadb&serverId=%d&databases=cdc_tz";
            addLink("cdc-tz-source", source.formatted("cdc-tz-source", 7211), sink("cdc.tz.source", "format=canal-json"));
            addLink("cdc-tz-utc", source.formatted("cdc-tz-utc", 7212), sink("cdc.tz.utc", "format=canal-json&timeZone=UTC"));
            sql("SET time_zone = '+00:00'; INSERT INTO cdc_tz.events VALUES (2, '2024-06-30 23:59:59.001')");
            // the full load's row and the binlog's, as MariaDB shows them in +05:30 and in UTC
            assertEquals(List.of("2024-01-02 08:34:05.678", "2024-07-01 05:29:59.001"), timestamps("cdc.tz.source"));
            assertEquals(List.of("2024-01-02 03:04:05.678", "2024-06-30 23:59:59.001"), timestamps("cdc.tz.utc"));
            api().get("/api/links/cdc-tz-source/precheck").then().statusCode(200)
                    .body("find { it.item == 'time zone' }.detail", containsString("+05:30"));
            api().delete("/api/links/cdc-tz-source").then().statusCode(204);
            api().delete("/api/links/cdc-tz-utc").then().statusCode(204);
        } finally {
            sql("SET GLOBAL time_zone = '" + before + "'");
        }
    }

    private static String globalTimeZone() {
        try (java.sql.Connection c = TestServers.mariaDb().adminConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT @@global.time_zone")) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code ts} values of the topic's row messages, once both rows have arrived. */
    private static List<String> timestamps(String topic) {
        List<String> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            out.clear();
            ChangeTopic.messages(topic).stream().filter(m -> m.getData() != null)
                    .forEach(m -> m.getData().forEach(row -> out.add(row.get("ts"))));
            return out.size() >= 2;
        });
        return out;
    }

    @Test
    void aFailingBatchIsSentAgainAfterABackoffAndNothingIsLostOrReordered() {
        sql("CREATE DATABASE cdc_retry; CREATE TABLE cdc_retry.orders (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        // a step that fails every batch while the system property is set: the sink seems down
        String yaml = """
                - route:
                    id: cdc-retry
                    from:
                      uri: "mysql-binlog:cdc-retry?dataSource=test-mariadb&serverId=7206&databases=cdc_retry&retryBackoffMs=200&maxRetryBackoffMs=1000"
                      steps:
                        - choice:
                            when:
                              - simple: "${sys.sluice-test-cdc-retry-fail} == 'true'"
                                steps:
                                  - throwException:
                                      exceptionType: java.lang.IllegalStateException
                                      message: "injected: the destination is down"
                        - to: "%s"
                """.formatted(sink("cdc.retry", "format=canal-json&partitionPolicy=by-primary-key&partitions=2"));
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        insertRange("cdc_retry.orders", 0, 20);
        awaitReplayEqualsTable("cdc.retry", "cdc_retry", "orders");
        System.setProperty("sluice-test-cdc-retry-fail", "true");
        try {
            insertRange("cdc_retry.orders", 20, 40);
            sql("UPDATE cdc_retry.orders SET n = n + 1000 WHERE id % 3 = 0; DELETE FROM cdc_retry.orders WHERE id % 4 = 1");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/cdc-retry").then()
                    .body("state", equalTo("retrying")).body("lastError", containsString("the destination is down")));
            int before = ChangeTopic.readAll("cdc.retry").size();
            sql("UPDATE cdc_retry.orders SET v = 'late' WHERE id = 2");
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertEquals(before, ChangeTopic.readAll("cdc.retry").size(), "nothing is sent while the batch fails");
        } finally {
            System.clearProperty("sluice-test-cdc-retry-fail");
        }
        awaitReplayEqualsTable("cdc.retry", "cdc_retry", "orders");
        api().get("/api/links/cdc-retry").then().body("state", equalTo("running"));
        api().delete("/api/links/cdc-retry").then().statusCode(204);
    }

    @Test
    void aBatchThatFailsAfterLaterOnesWereDeliveredIsSentAgainWithThemInOrder() {
        sql("CREATE DATABASE cdc_late; CREATE TABLE cdc_late.orders (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        // one change per batch; while the property is set, the batch setting 'slow' fails half a second later on another
        // thread (asynchronously, as a Kafka acknowledgement would), so the batches after it are delivered before it fails
        String yaml = """
                - route:
                    id: cdc-late
                    from:
                      uri: "mysql-binlog:cdc-late?dataSource=test-mariadb&serverId=7207&databases=cdc_late&maxBatchSize=1&retryBackoffMs=200&maxRetryBackoffMs=1000"
                      steps:
                        - choice:
                            when:
                              - simple: "${sys.sluice-test-cdc-late-fail} == 'true' && ${bodyAs(String)} contains 'after={id=1, v=slow'"
                                steps:
                                  - delay:
                                      expression:
                                        constant: "500"
                                      asyncDelayed: true
                                  - throwException:
                                      exceptionType: java.lang.IllegalStateException
                                      message: "injected: the acknowledgement failed"
                        - to: "%s"
                """.formatted(sink("cdc.late", "format=canal-json&partitionPolicy=by-primary-key&partitions=2"));
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        insertRange("cdc_late.orders", 0, 5);
        awaitReplayEqualsTable("cdc.late", "cdc_late", "orders");
        System.setProperty("sluice-test-cdc-late-fail", "true");
        try {
            sql("UPDATE cdc_late.orders SET v = 'slow' WHERE id = 1");
            sql("UPDATE cdc_late.orders SET v = 'after', n = 7 WHERE id = 1");
            // the later change is in Kafka while the earlier one keeps failing
            await().atMost(Duration.ofSeconds(30)).until(() -> ChangeTopic.messages("cdc.late").stream()
                    .anyMatch(m -> m.getData() != null && "after".equals(m.getData().get(0).get("v"))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/cdc-late").then()
                    .body("state", equalTo("retrying")).body("lastError", containsString("the acknowledgement failed")));
        } finally {
            System.clearProperty("sluice-test-cdc-late-fail");
        }
        // the failed change and then the later one again: the topic ends with the latest value of the key
        awaitReplayEqualsTable("cdc.late", "cdc_late", "orders");
        List<ConsumerRecord<byte[], byte[]>> records = ChangeTopic.readAll("cdc.late");
        String afterHeader = records.stream().filter(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("\"after\"")).map(r -> ChangeTopic.header(r, "sluice.binlog")).findFirst().orElseThrow();
        assertEquals(2, ChangeTopic.positions(records).get(afterHeader), "the later change twice, with one position header");
        api().delete("/api/links/cdc-late").then().statusCode(204);
    }

    @Test
    void aLinkPausedWhileBehindSendsNothingTwiceAndLeavesNoBinlogReaderWaiting() {
        sql("CREATE DATABASE cdc_behind; CREATE TABLE cdc_behind.orders (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "INSERT INTO cdc_behind.orders VALUES (-1, 'full load', 0)");
        // a slow sink (1 s per batch of 10) and a queue of 20 between Debezium's reader and its poller: the reader
        // fills the queue and waits, as a link that is behind does
        String yaml = """
                - route:
                    id: cdc-behind
                    from:
                      uri: "mysql-binlog:cdc-behind?dataSource=test-mariadb&serverId=7208&databases=cdc_behind&maxBatchSize=10&additionalProperties.max.queue.size=20"
                      steps:
                        - delay:
                            expression:
                              constant: "1000"
                        - to: "%s"
                """.formatted(sink("cdc.behind", "format=canal-json"));
        java.util.Set<Thread> otherLinksThreads = Thread.getAllStackTraces().keySet(); // this link's reader is not among them
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        // the full load (one row) delivered: the rows inserted now come from the binlog
        await().atMost(Duration.ofSeconds(60)).until(() -> !ChangeTopic.readAll("cdc.behind").isEmpty());
        insertRange("cdc_behind.orders", 0, 120);
        List<Thread> waiting = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            waiting.clear();
            waiting.addAll(readersWaitingForQueueRoom());
            waiting.removeAll(otherLinksThreads);
            return !waiting.isEmpty() && ChangeTopic.readAll("cdc.behind").size() > 1;
        });
        // paused in the middle of a batch: that batch is finished and its position stored before the engine stops
        api().post("/api/links/cdc-behind/pause").then().statusCode(200).body("state", equalTo("paused"));
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertTrue(waiting.stream().noneMatch(Thread::isAlive),
                "the paused link's binlog reader ended: " + waiting));
        api().post("/api/links/cdc-behind/resume").then().statusCode(200);
        awaitReplayEqualsTable("cdc.behind", "cdc_behind", "orders");
        Map<String, Integer> positions = ChangeTopic.positions(ChangeTopic.readAll("cdc.behind"));
        assertEquals(121, positions.size(), "the full-load row and each binlog row: " + positions.size());
        assertTrue(positions.values().stream().allMatch(n -> n == 1), "nothing sent twice after a pause: "
                + positions.entrySet().stream().filter(e -> e.getValue() > 1).toList());
        api().delete("/api/links/cdc-behind").then().statusCode(204);
    }

    /**
     * The LastEvent attribute of Debezium's snapshot or streaming metrics MBean for a logical server name (the binlog
     * connectors' streaming metrics show the last binlog event there instead).
     */
    private static String debeziumLastEvent(String context, String server) {
        try {
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            var names = jmx.queryNames(new javax.management.ObjectName(
                    "debezium.*:type=connector-metrics,context=" + context + ",server=" + server + ",*"), null);
            assertEquals(1, names.size(), "one " + context + " metrics MBean: " + names);
            return String.valueOf(jmx.getAttribute(names.iterator().next(), "LastEvent"));
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Threads waiting in Debezium's queue for room to add a change (a binlog reader whose queue is full). */
    private static List<Thread> readersWaitingForQueueRoom() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f ->
                        f.getClassName().endsWith("ChangeEventQueue") && f.getMethodName().equals("doEnqueue")))
                .map(java.util.Map.Entry::getKey).toList();
    }

    @Test
    void dtsAvroWithTableTopicsAndADdlTopicReadByTheDtsSdk() {
        sql("CREATE DATABASE cdc_avro; CREATE TABLE cdc_avro.a (id INT PRIMARY KEY, v VARCHAR(40), n INT); "
                + "CREATE TABLE cdc_avro.b (id INT PRIMARY KEY, v VARCHAR(40), n INT)");
        insertRange("cdc_avro.a", 0, 10);
        addLink("cdc-avro", "mysql-binlog:cdc-avro?dataSource=test-mariadb&serverId=7202&databases=cdc_avro"
                        + "&tableOperations=cdc_avro.b=insert",
                sink("cdc.avro", "format=dts-avro&partitionPolicy=by-table&tableTopics=cdc_avro.b=cdc.avro.b&ddlTopic=cdc.avro.ddl"));
        // the snapshot first, so that what follows comes from the binlog
        await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.readAll("cdc.avro").size() == 10);
        insertRange("cdc_avro.b", 0, 5);
        sql("UPDATE cdc_avro.a SET n = 99 WHERE id = 3; DELETE FROM cdc_avro.a WHERE id = 4; "
                + "UPDATE cdc_avro.b SET n = 99 WHERE id = 3; ALTER TABLE cdc_avro.a ADD COLUMN c INT");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertEquals(
                List.of(12, 5, true), List.of(ChangeTopic.readAll("cdc.avro").size(), ChangeTopic.readAll("cdc.avro.b").size(),
                        ChangeTopic.readAll("cdc.avro.ddl").stream().anyMatch(r -> new String(r.value()).contains("ADD COLUMN c")))));
        List<DefaultUserRecord> a = dts("cdc.avro");
        assertEquals(12, a.size());
        assertTrue(a.stream().allMatch(r -> r.getSchema().getFullQualifiedName().get().equals("cdc_avro.a")));
        assertEquals(List.of(OperationType.UPDATE, OperationType.DELETE),
                a.subList(10, 12).stream().map(DefaultUserRecord::getOperationType).toList());
        List<DefaultUserRecord> b = dts("cdc.avro.b");
        assertEquals(5, b.size(), "cdc_avro.b syncs inserts only: its update is not sent");
        assertTrue(b.stream().allMatch(r -> r.getOperationType() == OperationType.INSERT));
        List<ConsumerRecord<byte[], byte[]>> ddl = ChangeTopic.readAll("cdc.avro.ddl");
        Record alter = new AvroDeserializer().deserialize(ddl.get(ddl.size() - 1).value());
        assertTrue(String.valueOf(alter.getAfterImages()).contains("ADD COLUMN c"), String.valueOf(alter.getAfterImages()));
        api().delete("/api/links/cdc-avro").then().statusCode(204);
    }

    private static List<DefaultUserRecord> dts(String topic) {
        List<DefaultUserRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : ChangeTopic.readAll(topic)) {
            out.add(new DefaultUserRecord(null, 0, new AvroDeserializer().deserialize(r.value()), null));
        }
        return out;
    }

    @Test
    void precheckNamesATableWithoutAKeyAndItsFixAndRefusesTheStart() {
        sql("CREATE DATABASE cdc_nokey; CREATE TABLE cdc_nokey.t (id INT, v VARCHAR(10)); "
                + "CREATE TABLE cdc_nokey.u (id INT, v VARCHAR(10), UNIQUE KEY (v))"); // a unique key is enough
        String yaml = """
                - route:
                    id: cdc-nokey
                    autoStartup: false
                    from:
                      uri: "mysql-binlog:cdc-nokey?dataSource=test-mariadb&serverId=7203&databases=cdc_nokey"
                      steps:
                        - to: "%s"
                """.formatted(sink("cdc.nokey", "format=canal-json"));
        api().contentType("application/yaml").body(yaml.getBytes()).post("/api/links").then().statusCode(201);
        api().get("/api/links/cdc-nokey/precheck").then().statusCode(200)
                .body("find { it.item == 'log_bin' }.status", equalTo("pass"))
                .body("find { it.item == 'binlog_format' }.status", equalTo("pass"))
                .body("find { it.item == 'binlog_row_image' }.status", equalTo("pass"))
                .body("find { it.item == 'privileges' }.status", equalTo("pass"))
                .body("find { it.item == 'destination kafka' }.status", equalTo("pass"))
                .body("find { it.item == 'primary key' }.status", equalTo("fail"))
                .body("find { it.item == 'primary key' }.detail", containsString("cdc_nokey.t"))
                .body("find { it.item == 'primary key' }.detail", not(containsString("cdc_nokey.u")))
                .body("find { it.item == 'primary key' }.fix", containsString("ADD PRIMARY KEY"))
                .body("find { it.item == 'primary key' }.fix", containsString("tablesWithoutKey=sync"));
        api().post("/api/links/cdc-nokey/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().get("/api/links/cdc-nokey").then()
                .body("state", equalTo("failed")).body("lastError", containsString("cdc_nokey.t"))
                .body("lastError", containsString("tablesWithoutKey=sync")));
        api().delete("/api/links/cdc-nokey").then().statusCode(204);

        // the fix; then the destination's half: a missing topic without createTopics
        sql("ALTER TABLE cdc_nokey.t ADD PRIMARY KEY (id)");
        String missingTopic = yaml.replace("createTopics=true", "createTopics=false").replace("cdc.nokey", "cdc.absent");
        api().contentType("application/yaml").body(missingTopic.getBytes()).post("/api/links").then().statusCode(201);
        api().get("/api/links/cdc-nokey/precheck").then()
                .body("find { it.item == 'primary key' }.status", equalTo("pass"))
                .body("find { it.item == 'primary key' }.detail", containsString("2 selected tables"))
                .body("find { it.item == 'destination topics' }.status", equalTo("fail"))
                .body("find { it.item == 'destination topics' }.fix", containsString("createTopics=true"));
        sql("INSERT INTO cdc_nokey.t VALUES (1, 'a')");
        api().post("/api/links/cdc-nokey/start").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/links/cdc-nokey").then()
                .body("state", equalTo("failed")).body("lastError", containsString("cdc.absent"))
                .body("lastError", containsString("createTopics=true")));
        api().delete("/api/links/cdc-nokey").then().statusCode(204);
    }

    /**
     * tablesWithoutKey=sync (DTS's "ignore the precheck alert"): a table without a key is synchronised, full load and
     * changes (updates and deletes with the whole row, identical rows included), the precheck warns saying what it means
     * for this Kafka sink, and by-primary-key partitioning ships the table to its partition as by-table does.
     */
    @Test
    void aTableWithoutAKeyIsSynchronisedWhenChosenAndShippedToItsTablesPartition() {
        sql("CREATE DATABASE cdc_keyless; CREATE TABLE cdc_keyless.events (id INT, v VARCHAR(10)); "
                + "INSERT INTO cdc_keyless.events VALUES (1, 'a'), (2, 'b')");
        addLink("cdc-keyless", "mysql-binlog:cdc-keyless?dataSource=test-mariadb&serverId=7291&databases=cdc_keyless"
                + "&tablesWithoutKey=sync", sink("cdc.keyless", "format=canal-json&partitionPolicy=by-primary-key&partitions=3"));
        api().get("/api/links/cdc-keyless/precheck").then().statusCode(200)
                .body("find { it.item == 'primary key' }.status", equalTo("warn"))
                .body("find { it.item == 'primary key' }.detail", containsString("cdc_keyless.events"))
                .body("find { it.item == 'primary key' }.detail", containsString("may contain duplicate records"))
                .body("find { it.item == 'primary key' }.detail", containsString("Kafka: Canal JSON messages have pkNames null"))
                .body("find { it.item == 'primary key' }.detail", containsString("to the table's partition, as by-table"));
        await().atMost(Duration.ofSeconds(60)).until(() -> keylessRows().size() == 2); // the full load first
        sql("INSERT INTO cdc_keyless.events VALUES (3, 'c'), (3, 'c'); UPDATE cdc_keyless.events SET v = 'b2' WHERE id = 2; "
                + "DELETE FROM cdc_keyless.events WHERE id = 1; DELETE FROM cdc_keyless.events WHERE id = 3 LIMIT 1");
        await().atMost(Duration.ofSeconds(60)).until(() -> keylessRows().size() == 7);
        assertEquals(List.of("INSERT 1 a", "INSERT 2 b", "INSERT 3 c", "INSERT 3 c", "UPDATE 2 b2 (old v=b)", "DELETE 1 a",
                "DELETE 3 c"), keylessRows(), "in order, one partition");
        int byTable = io.sluice.change.PartitionPolicy.BY_TABLE.partition(new io.sluice.change.ChangeEvent("cdc_keyless",
                "events", io.sluice.change.Operation.INSERT, List.of(), null, Map.of(), null, null), 3);
        assertEquals(1, byTable, "not partition 0, where a keyless row went before");
        List<ConsumerRecord<byte[], byte[]>> rows = ChangeTopic.readAll("cdc.keyless").stream()
                .filter(r -> !new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("\"isDdl\":true")).toList();
        assertEquals(6, rows.size(), "the two inserted rows of one rows event share a message");
        assertTrue(rows.stream().allMatch(r -> r.partition() == byTable && r.key() == null), "by table, no record key");
        assertTrue(ChangeTopic.messages("cdc.keyless").stream().allMatch(m -> m.getPkNames() == null), "no key named");
        api().get("/api/links/cdc-keyless").then().body("state", equalTo("running"));
        api().delete("/api/links/cdc-keyless").then().statusCode(204);
    }

    /** The row changes of the keyless topic: operation, row (update: and the old values). */
    private static List<String> keylessRows() {
        List<String> out = new ArrayList<>();
        for (FlatMessage m : ChangeTopic.messages("cdc.keyless")) {
            for (int i = 0; m.getData() != null && i < m.getData().size(); i++) {
                Map<String, String> row = m.getData().get(i);
                out.add(m.getType() + " " + row.get("id") + " " + row.get("v")
                        + (m.getOld() != null ? " (old v=" + m.getOld().get(i).get("v") + ")" : ""));
            }
        }
        return out;
    }

    @Test
    void anOversizedRecordStopsTheLinkOrGoesToTheDeadLetterTopic() {
        sql("CREATE DATABASE cdc_big; CREATE TABLE cdc_big.t (id INT PRIMARY KEY, v TEXT)");
        addLink("cdc-big-stop", "mysql-binlog:cdc-big-stop?dataSource=test-mariadb&serverId=7204&databases=cdc_big",
                sink("cdc.big.stop", "format=canal-json&maxRecordBytes=2000&oversizedRecordMode=stop"));
        addLink("cdc-big-dl", "mysql-binlog:cdc-big-dl?dataSource=test-mariadb&serverId=7205&databases=cdc_big",
                sink("cdc.big.dl", "format=canal-json&maxRecordBytes=2000&oversizedRecordMode=dead-letter"));
        sql("INSERT INTO cdc_big.t VALUES (1, 'small'); INSERT INTO cdc_big.t VALUES (2, REPEAT('x', 5000)); "
                + "INSERT INTO cdc_big.t VALUES (3, 'after')");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> api().get("/api/links/cdc-big-stop").then()
                .body("state", equalTo("failed"))
                .body("lastError", containsString("cdc_big.t"))
                .body("lastError", containsString("id=2"))
                .body("lastError", containsString("maxRecordBytes 2000")));
        assertTrue(ChangeTopic.messages("cdc.big.stop").stream().noneMatch(m -> m.getData() != null && m.getData().get(0).get("id").equals("3")),
                "nothing after the oversized record");

        await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.messages("cdc.big.dl").stream()
                .anyMatch(m -> m.getData() != null && m.getData().get(0).get("id").equals("3")));
        assertTrue(ChangeTopic.messages("cdc.big.dl").stream().noneMatch(m -> m.getData() != null && m.getData().get(0).get("id").equals("2")));
        api().get("/api/links/cdc-big-dl").then().body("state", equalTo("running")).body("recordsDirty", equalTo(1));
        List<ConsumerRecord<byte[], byte[]>> dead = ChangeTopic.readAll("cdc.big.dl.dead-letter");
        assertEquals(1, dead.size());
        String entry = new String(dead.get(0).value());
        assertTrue(entry.contains("id=2") && entry.contains("cdc_big.t"), entry);
        api().get("/api/links/cdc-big-stop").then().body("lastError", containsString("excludeColumns"));
        api().delete("/api/links/cdc-big-stop").then().statusCode(204);
        api().delete("/api/links/cdc-big-dl").then().statusCode(204);
    }

    @Test
    void excludedColumnsAreLeftOutOfTheFullLoadAndTheBinlog() {
        sql("CREATE DATABASE cdc_wide; CREATE TABLE cdc_wide.docs (id INT PRIMARY KEY, title VARCHAR(20), body TEXT); "
                + "INSERT INTO cdc_wide.docs VALUES (1, 'full load', REPEAT('x', 5000))");
        // the column named in another case: matched case-insensitively, like the other object lists
        addLink("cdc-wide", "mysql-binlog:cdc-wide?dataSource=test-mariadb&serverId=7207&databases=cdc_wide"
                        + "&excludeColumns=cdc_wide.DOCS.Body",
                sink("cdc.wide", "format=canal-json&maxRecordBytes=2000&oversizedRecordMode=stop"));
        // the full load first: changes made before the snapshot reads the table would arrive in it, not after it
        await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.messages("cdc.wide").stream()
                .anyMatch(m -> m.getData() != null));
        sql("INSERT INTO cdc_wide.docs VALUES (2, 'binlog', REPEAT('y', 5000)); "
                + "UPDATE cdc_wide.docs SET body = REPEAT('z', 6000), title = 'updated' WHERE id = 1");
        await().atMost(Duration.ofSeconds(60)).until(() -> ChangeTopic.messages("cdc.wide").stream()
                .filter(m -> m.getData() != null).count() >= 3);
        List<FlatMessage> rows = ChangeTopic.messages("cdc.wide").stream().filter(m -> m.getData() != null).toList();
        for (FlatMessage m : rows) {
            assertEquals(java.util.Set.of("id", "title"), m.getData().get(0).keySet(), String.valueOf(m));
            assertEquals(java.util.Set.of("id", "title"), m.getMysqlType().keySet(), String.valueOf(m));
        }
        assertEquals(List.of("full load", "binlog", "updated"), rows.stream().map(m -> m.getData().get(0).get("title")).toList());
        assertEquals(java.util.Map.of("title", "full load"), rows.get(2).getOld().get(0), "an excluded column's change is not in old");
        api().get("/api/links/cdc-wide").then().body("state", equalTo("running"));
        api().delete("/api/links/cdc-wide").then().statusCode(204);
    }

    @Test
    void retryTimesOutsideTheSeedsRangesAreRefused() {
        api().contentType("application/yaml").body("""
                - route:
                    id: cdc-bad-retry
                    from:
                      uri: "mysql-binlog:cdc-bad?dataSource=test-mariadb&retryTimeForFailedConnections=30&retryTimeForOtherIssues=30"
                      steps:
                        - to: "log:x"
                """.getBytes()).post("/api/links").then().statusCode(400)
                .body("error", containsString("retryTimeForOtherIssues must be 1 to 1440 minutes and below"));
    }

    @Test
    void theShippedExampleLinkRuns() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> api().get("/api/links/dts-mysql-kafka").then()
                .body("state", equalTo("running")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(ChangeTopic.rows("demo", "orders", "id", COLUMNS).keySet(),
                ChangeTopic.replay(ChangeTopic.messages("dts.demo.orders"), "demo", "orders", "id", COLUMNS).keySet()));
    }
}
