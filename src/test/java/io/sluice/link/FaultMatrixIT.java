package io.sluice.link;

import com.aliyun.openservices.log.Client;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sluice.binlog.ChangeTopic;
import io.sluice.devservices.EmbeddedMariaDb;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.maxcompute.MergeCheck;
import io.sluice.sls.SlsToAdbLinkTest;
import io.sluice.testkit.KafkaProcess;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault matrix: for each of the four links, one packaged Sluice goes through its servers' outages in turn (the
 * source, the sink, and for the binlog links the JDBC state store; for the binlog links each of the three also during
 * the full load, rows deleted at the source meanwhile so that a phantom row would show). During each outage the link must show {@code retrying} with a reason naming what is down, and {@code running}
 * again once the server is back; a SIGTERM during a last outage must end the process within the stop timeout (5 s)
 * plus Quarkus' own shutdown; started again with the servers back, the destination must equal the source, row by row
 * or key by key. MariaDB, SLS and MaxCompute go down through a {@link TcpProxy} (connections refused); a Kafka cluster
 * through {@link KafkaProcess#freeze()} (a broker in its own process, stopped with SIGSTOP: it does not answer).
 */
class FaultMatrixIT {

    private static final String TOKEN = "fault-matrix-token-0123456789";
    private static final Duration OUTAGE_NOTICED = Duration.ofSeconds(40);
    private static final Duration RECOVERED = Duration.ofSeconds(60);
    /** What a link whose destination does not answer says while it has nothing to write (link.IdleSinkCheck). */
    private static final String IDLE_SINK_DOWN = "does not answer while the link has nothing to write";
    /**
     * How far a binlog link's full load reads ahead of what it has sent, at most, with margin: Debezium's queue (300,
     * {@link #binlogRoute}), the batch waiting for the delivery thread and those in flight (100 each).
     */
    private static final int FULL_LOAD_AHEAD = 700;

    /** Properties every run shares: a short stop timeout, and restarts of a link that cannot start at most 4 s apart. */
    private static Map<String, String> common() {
        Map<String, String> p = new HashMap<>();
        p.put("sluice.links.stop-timeout", "5S");
        p.put("sluice.state.dir", "state");
        p.put("sluice.api.token", TOKEN);
        p.put("camel.routecontroller.back-off-max-delay", "4000");
        p.put("sluice.links.idle-sink-check", "2S"); // the idle steps below wait for two rounds, not for 20 s
        return p;
    }

    // ---------------------------------------------------------------- Kafka (JSON) -> AnalyticDB

    @Test
    void kafkaJsonToAdb() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.fault_kafka_adb (id INT PRIMARY KEY, v VARCHAR(20))");
        Path dir = Path.of("target", "fault-matrix-kafka-adb");
        try (KafkaProcess kafka = KafkaProcess.start(Path.of("target", "fault-matrix-kafka-adb-broker"));
             TcpProxy database = new TcpProxy(TestServers.mariaDb().port())) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("fault-json", 2, (short) 1))).all().get();
            }
            Map<String, String> props = common();
            props.putAll(TestServers.jdbcDataSource("faultdb", database.port()));
            props.put("fault.brokers", kafka.bootstrapServers());
            String route = """
                    - route:
                        id: fault-kafka-adb
                        from:
                          uri: "kafka-json:fault-json"
                          parameters:
                            brokers: "{{fault.brokers}}"
                            batchSize: 200
                            retryBackoffMs: 200
                            maxRetryBackoffMs: 2000
                          steps:
                            - to: "adb:demo.fault_kafka_adb?dataSource=faultdb"
                    """;
            String link = "fault-kafka-adb";
            try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of("links.yaml", route))) {
                adbOutages(sluice, "fault-kafka-adb", "demo.fault_kafka_adb", database, (from, to) -> send(kafka, from, to),
                        kafka::freeze, kafka::thaw, "does not answer");
                assertEquals(2000, TestServers.queryLong(
                        "SELECT COUNT(*) FROM demo.fault_kafka_adb WHERE v = CONCAT('v', id) AND id >= 0 AND id < 2000"));
            }
        }
    }

    /** A step of a test that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    /** Puts records {@code from} to {@code to} - 1 into a link's source. */
    private interface Feed {
        void range(int from, int to) throws Exception;
    }

    /**
     * The outages of a link into AnalyticDB, {@code table} filled by {@code feed}: the database down while streaming,
     * then the source ({@code sourceDown} / {@code sourceUp}, the link's error naming {@code sourceReason}), then the
     * database down and a SIGTERM; then the restart, until the table holds the 2,000 records, no more.
     */
    private static void adbOutages(SluiceProcess sluice, String link, String table, TcpProxy database, Feed feed,
                                   Step sourceDown, Step sourceUp, String sourceReason) throws Exception {
        String db = "127.0.0.1:" + database.port();
        sluice.start();
        feed.range(0, 500);
        awaitRows(table, 500);

        // the database down while the link has nothing to write: shown at once, not when the next record fails
        database.cut();
        awaitRetrying(sluice, link, "sink down while idle", IDLE_SINK_DOWN);
        database.restore();
        awaitRunning(sluice, link);

        database.cut();
        feed.range(500, 1000);
        awaitRetrying(sluice, link, "sink down", db);
        database.restore();
        awaitRunning(sluice, link);
        awaitRows(table, 1000);

        sourceDown.run();
        awaitRetrying(sluice, link, "source down", sourceReason);
        sourceUp.run();
        awaitRunning(sluice, link);
        feed.range(1000, 1500);
        awaitRows(table, 1500);

        database.cut();
        feed.range(1500, 2000);
        awaitRetrying(sluice, link, "sink down before SIGTERM", db);
        terminateWithinBound(sluice);

        database.restore();
        sluice.start();
        awaitRows(table, 2000);
        Thread.sleep(1_000); // a late duplicate would show here
        assertEquals(2000, TestServers.queryLong("SELECT COUNT(*) FROM " + table));
    }

    private static void send(KafkaProcess kafka, int from, int to) {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (int id = from; id < to; id++) {
                p.send(new ProducerRecord<>("fault-json", String.valueOf(id), "{\"id\":" + id + ",\"v\":\"v" + id + "\"}"));
            }
            p.flush();
        }
    }

    // ---------------------------------------------------------------- SLS -> AnalyticDB

    @Test
    void slsToAdb() throws Exception {
        TestServers.sls().createLogstore(DemoSls.PROJECT, "fault-events", 2);
        TestServers.mariaDb().execute("CREATE TABLE demo.fault_sls_adb (request_id VARCHAR(64) NOT NULL PRIMARY KEY, "
                + "log_time DATETIME NOT NULL, topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, "
                + "amount DECIMAL(12,2))");
        Path dir = Path.of("target", "fault-matrix-sls-adb");
        try (TcpProxy database = new TcpProxy(TestServers.mariaDb().port());
             TcpProxy sls = new TcpProxy(TestServers.sls().port())) {
            Map<String, String> props = common();
            props.putAll(Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:mariadb://127.0.0.1:" + database.port() + "/demo",
                    "quarkus.datasource.password", "sluice-demo-pw",
                    "sluice.sls.demo.endpoint", DemoSls.ENDPOINT,
                    "sluice.sls.demo.proxy-host", "127.0.0.1",
                    "sluice.sls.demo.proxy-port", String.valueOf(sls.port()),
                    "sluice.sls.demo.access-key-id", DemoSls.ACCESS_KEY_ID,
                    "sluice.sls.demo.access-key-secret", DemoSls.ACCESS_KEY_SECRET));
            String route = SlsToAdbLinkTest.route("fault-sls-adb", "fault-events", "fault_sls_adb", "maxRetryBackoffMs: 2000");
            Client client = TestServers.slsClient();
            try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of("links.yaml", route))) {
                adbOutages(sluice, "fault-sls-adb", "demo.fault_sls_adb", database,
                        (from, to) -> SlsToAdbLinkTest.put(client, "fault-events", from, to), sls::cut, sls::restore, "SLS");
                assertEquals(2000, TestServers.queryLong("SELECT COUNT(*) FROM demo.fault_sls_adb WHERE "
                        + "request_id = CONCAT('r-', seq) AND amount = seq + 0.25 AND env = 'test' "
                        + "AND log_time = FROM_UNIXTIME(1710604800 + seq) AND seq >= 0 AND seq < 2000"));
            }
        }
    }

    // ---------------------------------------------------------------- MySQL -> Kafka

    @Test
    void mysqlBinlogToKafka() throws Exception {
        // u: the table the full load reads after t (see binlogRoute)
        TestServers.mariaDb().execute("CREATE DATABASE fault_bk; CREATE TABLE fault_bk.t (id INT PRIMARY KEY, v VARCHAR(20), n INT); "
                + "CREATE TABLE fault_bk.u (id INT PRIMARY KEY)");
        TestServers.stateMariaDb().execute("CREATE DATABASE fault_bk_state");
        ChangeTopic.insertRange("fault_bk.t", 0, 2000);
        Path dir = Path.of("target", "fault-matrix-binlog-kafka");
        String topic = "fault.bk";
        String link = "fault-binlog-kafka";
        List<String> columns = List.of("id", "v", "n");
        try (KafkaProcess kafka = KafkaProcess.start(Path.of("target", "fault-matrix-binlog-kafka-broker"));
             TcpProxy source = new TcpProxy(TestServers.mariaDb().port());
             TcpProxy state = new TcpProxy(TestServers.stateMariaDb().port())) {
            Map<String, String> props = binlogProperties(7501, source, state, "fault_bk_state");
            props.put("fault.brokers", kafka.bootstrapServers());
            String route = binlogRoute(link, "fault_bk", """
                                uri: "kafka-change:%s"
                                parameters:
                                  brokers: "{{fault.brokers}}"
                                  format: canal-json
                                  partitionPolicy: by-primary-key
                                  createTopics: true
                                  partitions: 2
                                  additionalProperties.request.timeout.ms: 4000
                                  additionalProperties.delivery.timeout.ms: 8000
                    """.formatted(topic));
            try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of("links.yaml", route))) {
                sluice.start();
                // the sink cluster down (it does not answer) during the full load (2,000 rows at 150 rows/s)
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ChangeTopic.count(kafka.bootstrapServers(), topic) >= 300);
                kafka.freeze();
                awaitRetrying(sluice, link, "sink down during the full load", kafka.bootstrapServers());
                kafka.thaw();
                awaitRunning(sluice, link);

                sourceDownInFullLoad(sluice, link, source, "fault_bk.t");
                stateDownInFullLoad(sluice, link, state, "fault_bk.t", recordsOut(sluice, link), 1800);
                awaitTopicEqualsTable(kafka, topic, "fault_bk", columns, Duration.ofSeconds(120));

                // the sink cluster down while nothing changes (brokers given in the URI, no data source)
                kafka.freeze();
                awaitRetrying(sluice, link, "sink down while idle", "(Kafka brokers " + kafka.bootstrapServers() + ") "
                        + IDLE_SINK_DOWN);
                kafka.thaw();
                awaitRunning(sluice, link);

                // streaming: the sink cluster down
                kafka.freeze();
                TestServers.mariaDb().execute("UPDATE fault_bk.t SET n = n + 1 WHERE id < 500");
                awaitRetrying(sluice, link, "sink down", kafka.bootstrapServers());
                kafka.thaw();
                awaitRunning(sluice, link);

                // the source down
                source.cut();
                awaitRetrying(sluice, link, "source down", "127.0.0.1:" + source.port());
                source.restore();
                awaitRunning(sluice, link);
                ChangeTopic.insertRange("fault_bk.t", 2000, 2300);

                // the state store down
                state.cut();
                TestServers.mariaDb().execute("UPDATE fault_bk.t SET n = n + 1 WHERE id >= 1500");
                awaitRetrying(sluice, link, "state store down", "127.0.0.1:" + state.port());
                state.restore();
                awaitRunning(sluice, link);
                awaitTopicEqualsTable(kafka, topic, "fault_bk", columns, Duration.ofSeconds(60));

                // SIGTERM while the sink does not answer
                kafka.freeze();
                TestServers.mariaDb().execute("DELETE FROM fault_bk.t WHERE id % 10 = 3; UPDATE fault_bk.t SET v = 'w' WHERE id % 7 = 0");
                awaitRetrying(sluice, link, "sink down before SIGTERM", kafka.bootstrapServers());
                terminateWithinBound(sluice);

                kafka.thaw();
                ChangeTopic.insertRange("fault_bk.t", 3000, 3100);
                sluice.start();
                awaitTopicEqualsTable(kafka, topic, "fault_bk", columns, Duration.ofSeconds(120));
            }
        }
    }

    private static void awaitTopicEqualsTable(KafkaProcess kafka, String topic, String db, List<String> columns,
                                              Duration limit) {
        await().atMost(limit).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertEquals(ChangeTopic.rows(db, "t", "id", columns),
                        ChangeTopic.replay(ChangeTopic.messages(kafka.bootstrapServers(), topic), db, "t", "id", columns)));
    }

    // ---------------------------------------------------------------- MySQL -> MaxCompute

    @Test
    void mysqlBinlogToMaxCompute() throws Exception {
        // fault_tail: the table the full load reads after fault_seq (see binlogRoute)
        TestServers.mariaDb().execute("CREATE DATABASE fault_bm; CREATE TABLE fault_bm.fault_seq (id INT PRIMARY KEY, v VARCHAR(20), n INT); "
                + "CREATE TABLE fault_bm.fault_tail (id INT PRIMARY KEY)");
        TestServers.stateMariaDb().execute("CREATE DATABASE fault_bm_state");
        ChangeTopic.insertRange("fault_bm.fault_seq", 0, 2000);
        Path dir = Path.of("target", "fault-matrix-binlog-maxcompute");
        String link = "fault-binlog-mc";
        try (TcpProxy source = new TcpProxy(TestServers.mariaDb().port());
             TcpProxy state = new TcpProxy(TestServers.stateMariaDb().port());
             TcpProxy maxCompute = new TcpProxy(TestServers.maxCompute().port())) {
            Map<String, String> props = binlogProperties(7502, source, state, "fault_bm_state");
            props.putAll(TestServers.maxComputeDataSource("mc", maxCompute.port()));
            String route = binlogRoute(link, "fault_bm", """
                                uri: "maxcompute:%s"
                                parameters:
                                  dataSource: mc
                    """.formatted(link));
            try (SluiceProcess sluice = new SluiceProcess(dir, props, Map.of("links.yaml", route))) {
                sluice.start();
                // the sink down during the full load (2,000 rows at 150 rows/s)
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> recordsOut(sluice, link) >= 200);
                maxCompute.cut();
                awaitRetrying(sluice, link, "sink down during the full load", "MaxCompute");
                maxCompute.restore();
                awaitRunning(sluice, link);

                sourceDownInFullLoad(sluice, link, source, "fault_bm.fault_seq");
                // the repeated full load (1,800 rows): the source down again, and a SIGTERM during the outage
                awaitFullLoadUnderway(sluice, link, recordsOut(sluice, link), 1800);
                source.cut();
                TestServers.mariaDb().execute("DELETE FROM fault_bm.fault_seq WHERE id % 10 = 5");
                awaitRetrying(sluice, link, "source down during the full load, before SIGTERM", "127.0.0.1:" + source.port());
                terminateWithinBound(sluice);
                source.restore();
                sluice.start();
                // the full load once more (1,600 rows), in the new process: the state store down
                stateDownInFullLoad(sluice, link, state, "fault_bm.fault_seq", 0, 1600);
                awaitMergeEqualsTable(sluice, link);

                // streaming: the source down
                source.cut();
                awaitRetrying(sluice, link, "source down", "127.0.0.1:" + source.port());
                source.restore();
                awaitRunning(sluice, link);

                // the sink down while nothing changes
                maxCompute.cut();
                awaitRetrying(sluice, link, "sink down while idle", "(maxcompute data source 'mc') " + IDLE_SINK_DOWN);
                maxCompute.restore();
                awaitRunning(sluice, link);

                // the sink down
                maxCompute.cut();
                TestServers.mariaDb().execute("UPDATE fault_bm.fault_seq SET n = n + 1 WHERE id < 500");
                awaitRetrying(sluice, link, "sink down", "MaxCompute");
                maxCompute.restore();
                awaitRunning(sluice, link);

                // the state store down
                state.cut();
                ChangeTopic.insertRange("fault_bm.fault_seq", 2000, 2300);
                awaitRetrying(sluice, link, "state store down", "127.0.0.1:" + state.port());
                state.restore();
                awaitRunning(sluice, link);

                // SIGTERM while the sink is down
                maxCompute.cut();
                TestServers.mariaDb().execute("DELETE FROM fault_bm.fault_seq WHERE id % 10 = 3; "
                        + "UPDATE fault_bm.fault_seq SET v = 'w' WHERE id % 7 = 0");
                awaitRetrying(sluice, link, "sink down before SIGTERM", "MaxCompute");
                terminateWithinBound(sluice);

                maxCompute.restore();
                ChangeTopic.insertRange("fault_bm.fault_seq", 3000, 3100);
                sluice.start();
                awaitMergeEqualsTable(sluice, link);
            }
        }
    }

    /** Waits until MaxCompute's merge of fault_bm.fault_seq (its _base and _log tables) equals the source table. */
    private static void awaitMergeEqualsTable(SluiceProcess sluice, String link) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertEquals(MergeCheck.source("fault_bm", "fault_seq", List.of("id", "v", "n")), MergeCheck.merge(
                        api(sluice).get("/api/links/" + link + "/merge-sql?table=fault_seq&time="
                                + (Instant.now().getEpochSecond() + 3600)).then().statusCode(200).extract().asString(),
                        "fault_seq")));
    }

    /**
     * The source of a binlog link down during its full load of {@code table} (2,000 rows, 150 rows/s), which must still be
     * under way, rows deleted at the source meanwhile (through the server's own port) so that a phantom row would show:
     * the link is {@code retrying} naming the source, and {@code running} again once it is back (its full load starts
     * again).
     */
    private static void sourceDownInFullLoad(SluiceProcess sluice, String link, TcpProxy source, String table)
            throws Exception {
        long sent = recordsOut(sluice, link);
        assertTrue(sent < 2000 - FULL_LOAD_AHEAD, link + ": the full load had sent " + sent + " of its 2,000 rows before "
                + "its source outage; one after it has read the table would not test the full load");
        source.cut();
        TestServers.mariaDb().execute("DELETE FROM " + table + " WHERE id % 10 = 1");
        awaitRetrying(sluice, link, "source down during the full load", "127.0.0.1:" + source.port());
        source.restore();
        awaitRunning(sluice, link);
    }

    /**
     * The state store of a binlog link down during a full load of {@code rows} rows of {@code table} that began when the
     * link had sent {@code base} records, while rows change at the source: {@code retrying} naming the state store,
     * {@code running} again once it is back.
     */
    private static void stateDownInFullLoad(SluiceProcess sluice, String link, TcpProxy state, String table, long base,
                                            long rows) throws Exception {
        awaitFullLoadUnderway(sluice, link, base, rows);
        state.cut();
        TestServers.mariaDb().execute("UPDATE " + table + " SET n = n + 1 WHERE id % 10 = 2; DELETE FROM " + table
                + " WHERE id % 10 = 9");
        awaitRetrying(sluice, link, "state store down during the full load", "127.0.0.1:" + state.port());
        state.restore();
        awaitRunning(sluice, link);
    }

    /**
     * Waits until a full load of {@code rows} rows that began when the link had sent {@code base} records has sent 200,
     * and checks it is still reading the table.
     */
    private static void awaitFullLoadUnderway(SluiceProcess sluice, String link, long base, long rows) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> recordsOut(sluice, link) >= base + 200);
        long sent = recordsOut(sluice, link) - base;
        assertTrue(sent < rows - FULL_LOAD_AHEAD, link + ": the full load had sent " + sent + " of its " + rows
                + " rows before the outage meant to interrupt it (it must still be reading the table)");
    }

    /**
     * The properties of a binlog link's run: MySQL data source src on the test kit's MariaDB through {@code source}
     * (binlog reader {@code serverId}), and the state database {@code stateDb} on the second MariaDB through
     * {@code state} (placeholders fault.state-url and fault.state-password).
     */
    private static Map<String, String> binlogProperties(int serverId, TcpProxy source, TcpProxy state, String stateDb) {
        Map<String, String> props = common();
        props.putAll(TestServers.mysqlDataSource("src", serverId));
        props.put("sluice.mysql.src.port", String.valueOf(source.port()));
        props.put("fault.state-url", "jdbc:mariadb://127.0.0.1:" + state.port() + "/" + stateDb);
        props.put("fault.state-password", EmbeddedMariaDb.ADMIN_PASSWORD);
        return props;
    }

    /**
     * A binlog link from database {@code db} of data source src, its full load throttled to 150 rows/s, its positions in
     * the JDBC state store ({@link #binlogProperties}), its binlog reader reconnecting 2 s after a drop (Debezium's
     * default is 60 s), into the sink of {@code sinkLines} (the lines of the {@code to} step under {@code - to:}).
     * Debezium's queue holds 300 changes (8,192 by default), so that its full load reads the 2,000-row table as the link
     * delivers it, as with a table larger than the queue: a source outage during the full load then breaks the full
     * load's own connection (when it goes on to the next table, which it reads after the first: the first table's rows
     * are in the sockets' buffers), not just the binlog reader's.
     */
    private static String binlogRoute(String link, String db, String sinkLines) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s"
                      parameters:
                        dataSource: src
                        databases: %s
                        maxBatchSize: 100
                        fullRowsPerSecond: 150
                        offsetFlushIntervalMs: 500
                        additionalProperties.max.queue.size: 300
                        additionalProperties.connect.keep.alive.interval.ms: 2000
                        retryBackoffMs: 200
                        maxRetryBackoffMs: 2000
                        stateStore: jdbc
                        stateJdbcUrl: "{{fault.state-url}}"
                        stateJdbcUser: %s
                        stateJdbcPassword: "{{fault.state-password}}"
                      steps:
                        - to:
                """.formatted(link, link, db, EmbeddedMariaDb.ADMIN_USER) + sinkLines;
    }

    private static long recordsOut(SluiceProcess sluice, String link) {
        Number out = api(sluice).get("/api/links/" + link).then().extract().path("recordsOut");
        return out == null ? 0 : out.longValue();
    }

    // ---------------------------------------------------------------- shared

    private static RequestSpecification api(SluiceProcess sluice) {
        return RestAssured.given().baseUri(sluice.baseUrl()).header("Authorization", "Bearer " + TOKEN);
    }

    private static JsonPath link(SluiceProcess sluice, String link) {
        return api(sluice).get("/api/links/" + link).then().statusCode(200).extract().jsonPath();
    }

    /**
     * Waits until the link shows {@code retrying} with a last error that names {@code reason} (any last error when
     * null), and prints what it said.
     */
    private static void awaitRetrying(SluiceProcess sluice, String id, String outage, String reason) {
        List<String> seen = new ArrayList<>();
        try {
            await().atMost(OUTAGE_NOTICED).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonPath l = link(sluice, id);
                String state = l.getString("state");
                String error = l.getString("lastError");
                String s = state + ": " + error;
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                    seen.add(s);
                }
                return "retrying".equals(state) && error != null && (reason == null || error.contains(reason));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(id + ", " + outage + ": not retrying naming '" + reason + "' within "
                    + OUTAGE_NOTICED.toSeconds() + " s; states seen: " + seen, e);
        }
        System.out.println("[fault-matrix] " + id + ", " + outage + ": " + seen.get(seen.size() - 1));
    }

    private static void awaitRunning(SluiceProcess sluice, String id) {
        List<String> seen = new ArrayList<>();
        try {
            await().atMost(RECOVERED).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonPath l = link(sluice, id);
                String s = l.getString("state") + ": " + l.getString("lastError");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                    seen.add(s);
                }
                return "running".equals(l.getString("state"));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(id + ": not running again within " + RECOVERED.toSeconds() + " s of the server's "
                    + "return; states seen: " + seen, e);
        }
    }

    /** SIGTERM: the process must exit within the stop timeout (5 s) plus a few seconds of Quarkus' shutdown. */
    private static void terminateWithinBound(SluiceProcess sluice) throws InterruptedException {
        long start = System.nanoTime();
        long exitMs = sluice.terminate(Duration.ofSeconds(45));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(exitMs >= 0, "Sluice did not exit within 45 s of SIGTERM (its threads: threads-N.txt)");
        assertTrue(tookMs < 20_000, "SIGTERM took " + tookMs + " ms with a 5 s stop timeout");
        System.out.println("[fault-matrix] SIGTERM took " + tookMs + " ms");
    }

    private static void awaitRows(String table, long n) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> TestServers.queryLong("SELECT COUNT(*) FROM " + table) >= n);
    }
}
