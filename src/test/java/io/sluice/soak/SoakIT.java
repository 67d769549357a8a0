package io.sluice.soak;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import com.aliyun.openservices.log.Client;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.sluice.binlog.ChangeTopic;
import io.sluice.devservices.sls.DemoSls;
import io.sluice.maxcompute.McTables;
import io.sluice.maxcompute.MergeCheck;
import io.sluice.sls.SlsToAdbLinkTest;
import io.sluice.testkit.SluiceProcess;
import io.sluice.testkit.TcpProxy;
import io.sluice.testkit.TestServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Soak test (not part of the normal build: it runs only when {@code -Dsoak.minutes=N} is given). One packaged Sluice
 * process runs the four links together under steady load for N minutes while a chaos loop, driven by a seeded
 * {@link Random} ({@code -Dsoak.seed}, default 1), takes a random action every 10-40 s: pause+resume or stop+start of a
 * random link (management API), SIGKILL + restart, SIGTERM + restart, or an outage of the sink database, the
 * MaxCompute server or the source database (a {@link TcpProxy} cut for 5-20 s). Then the feeders stop, the links catch
 * up (bounded wait), and every destination is compared with its source row by row:
 * <ul>
 * <li>Kafka(JSON) -> AnalyticDB: versioned messages (id, version); the table must hold every id at its newest version;</li>
 * <li>SLS -> AnalyticDB: sequence-numbered logs; the table must hold every seq once with its values;</li>
 * <li>MySQL -> Kafka (Canal JSON): the topic replayed by key must equal the source table; the same binlog change twice
 * is counted as a duplicate (allowed by at-least-once);</li>
 * <li>MySQL -> MaxCompute: the merge SQL Sluice gives, run over {@code _base} and {@code _log}, must equal the source.</li>
 * </ul>
 * The report (per link: sent, lost, duplicated, wrong; the action log with times) is printed and written to
 * {@code target/soak/report.txt}; the test fails if anything is lost or wrong.
 * <p>
 * {@code ./mvnw -B verify -Dit.test=SoakIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.minutes=30 -Dsoak.seed=1}
 */
@EnabledIfSystemProperty(named = "soak.minutes", matches = "\\d+(\\.\\d+)?")
class SoakIT {

    private static final String TOKEN = "soak-test-token-0123456789";
    private static final String KAFKA_ADB = "soak-kafka-adb";
    private static final String SLS_ADB = "soak-sls-adb";
    private static final String BINLOG_KAFKA = "soak-binlog-kafka";
    private static final String BINLOG_MC = "soak-binlog-mc";
    private static final List<String> LINKS = List.of(KAFKA_ADB, SLS_ADB, BINLOG_KAFKA, BINLOG_MC);
    private static final String TOPIC_IN = "soak-json";
    private static final String TOPIC_OUT = "soak.cdc";
    private static final String LOGSTORE = "soak-events";
    private static final int KAFKA_IDS = 20_000;
    private static final List<String> BINLOG_COLUMNS = List.of("id", "n", "v");

    private final long started = System.currentTimeMillis();
    private final List<String> actionLog = new ArrayList<>();
    private final Map<String, Integer> actionCounts = new TreeMap<>();
    private final AtomicBoolean stopFeeding = new AtomicBoolean();
    private final Map<Integer, Integer> kafkaNewest = new ConcurrentHashMap<>();
    private final AtomicLong kafkaSent = new AtomicLong();
    private final AtomicLong slsSent = new AtomicLong();
    private final AtomicLong binlogKafkaChanges = new AtomicLong();
    private final AtomicLong binlogMcChanges = new AtomicLong();
    private final List<Throwable> feederErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SluiceProcess sluice;

    @Test
    void fourLinksUnderChaosLoseNothing() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes"));
        long seed = Long.getLong("soak.seed", 1L);
        log("soak: " + minutes + " minutes, seed " + seed);
        setUpSources();
        try (TcpProxy sinkDb = new TcpProxy(TestServers.mariaDb().port());
             TcpProxy sourceDb = new TcpProxy(TestServers.mariaDb().port());
             TcpProxy maxCompute = new TcpProxy(TestServers.maxCompute().port());
             SluiceProcess app = new SluiceProcess(Path.of("target", "soak"),
                     props(sinkDb, sourceDb, maxCompute), Map.of("soak.yaml", routes()))) {
            sluice = app;
            sluice.start();
            // the feeders start once both binlog links have sent their full load (the row -1): a row the full load
            // read would otherwise arrive as a full-load row instead of its changes, and count as changes missing
            org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> recordsOut(BINLOG_KAFKA) > 0 && recordsOut(BINLOG_MC) > 0);
            List<Thread> feeders = List.of(
                    feeder("feed-kafka", () -> feedKafka(seed)),
                    feeder("feed-sls", this::feedSls),
                    feeder("feed-binlog-kafka", () -> feedBinlog("soak_k", seed * 31 + 1, 100, binlogKafkaChanges)),
                    feeder("feed-binlog-mc", () -> feedBinlog("soak_m", seed * 31 + 2, 250, binlogMcChanges)));
            Random chaos = new Random(seed);
            long end = System.currentTimeMillis() + (long) (minutes * 60_000); // load and chaos from here
            Thread.sleep(10_000); // the links start and the full loads (empty tables) finish
            while (System.currentTimeMillis() < end) {
                long wait = 10_000 + chaos.nextInt(30_001);
                Thread.sleep(Math.max(0, Math.min(wait, end - System.currentTimeMillis())));
                if (System.currentTimeMillis() >= end) {
                    break;
                }
                act(chaos, sinkDb, sourceDb, maxCompute);
            }
            stopFeeding.set(true);
            for (Thread t : feeders) {
                t.join(60_000);
            }
            log("feeders stopped: kafka " + kafkaSent.get() + " messages (" + kafkaNewest.size() + " ids), sls "
                    + slsSent.get() + " logs, binlog->kafka " + binlogKafkaChanges.get() + " row changes, binlog->mc "
                    + binlogMcChanges.get() + " row changes");
            ensureAllRunning();
            List<Result> results = catchUpAndCompare(Duration.ofMinutes(Long.getLong("soak.catchup.minutes", 10L)));
            String report = report(minutes, seed, results);
            System.out.println(report);
            Files.createDirectories(Path.of("target", "soak"));
            Files.writeString(Path.of("target", "soak", "report.txt"), report);
            assertTrue(feederErrors.isEmpty(), "feeders failed: " + feederErrors);
            for (Result r : results) {
                assertTrue(r.lost == 0 && r.wrong == 0, r.link + ": " + r.lost + " lost, " + r.wrong
                        + " wrong/phantom (seed " + seed + "; the action log is in target/soak/report.txt)");
            }
        }
    }

    // ---------------------------------------------------------------- set-up

    private void setUpSources() throws Exception {
        TestServers.mariaDb().execute("CREATE TABLE demo.soak_kafka (id INT PRIMARY KEY, version INT NOT NULL, v VARCHAR(40)); "
                + "CREATE TABLE demo.soak_sls (request_id VARCHAR(64) NOT NULL PRIMARY KEY, log_time DATETIME NOT NULL, "
                + "topic VARCHAR(64), source_ip VARCHAR(64), env VARCHAR(32), seq INT, amount DECIMAL(12,2)); "
                + "CREATE DATABASE soak_k; CREATE TABLE soak_k.items (id INT PRIMARY KEY, n INT NOT NULL, v VARCHAR(40)); "
                + "CREATE DATABASE soak_m; CREATE TABLE soak_m.orders (id INT PRIMARY KEY, n INT NOT NULL, v VARCHAR(40)); "
                + "INSERT INTO soak_k.items VALUES (-1, 0, 'full load'); INSERT INTO soak_m.orders VALUES (-1, 0, 'full load')");
        binlogKafkaChanges.set(1); // the full-load row is a change in the topic; in MaxCompute it goes to _base, not _log
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC_IN, 3, (short) 1))).all().get();
        }
        TestServers.sls().createLogstore(DemoSls.PROJECT, LOGSTORE, 3);
        TestServers.maxCompute();
    }

    private static Map<String, String> props(TcpProxy sinkDb, TcpProxy sourceDb, TcpProxy maxCompute) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("quarkus.datasource.jdbc.url", TestServers.mariaDb().jdbcUrl("demo"));
        p.put("quarkus.datasource.password", "sluice-demo-pw");
        p.put("kafka.bootstrap.servers", TestServers.kafka().bootstrapServers());
        p.put("sluice.api.token", TOKEN);
        p.put("sluice.state.dir", "state");
        p.put("sluice.links.stop-timeout", "10S");
        p.put("sluice.health.failed-link-makes-unready", "false");
        p.put("sluice.jdbc.sink.url", "jdbc:mariadb://127.0.0.1:" + sinkDb.port() + "/demo");
        p.put("sluice.jdbc.sink.username", "sluice");
        p.put("sluice.jdbc.sink.password", "sluice-demo-pw");
        p.put("sluice.jdbc.sink.acquisition-timeout", "2S");
        p.put("sluice.sls.demo.endpoint", DemoSls.ENDPOINT);
        p.put("sluice.sls.demo.proxy-host", "127.0.0.1");
        p.put("sluice.sls.demo.proxy-port", String.valueOf(TestServers.sls().port()));
        p.put("sluice.sls.demo.access-key-id", DemoSls.ACCESS_KEY_ID);
        p.put("sluice.sls.demo.access-key-secret", DemoSls.ACCESS_KEY_SECRET);
        // two MySQL data sources on the same server through the source proxy: one binlog client (server id) per link
        for (Map.Entry<String, Integer> src : Map.of("src-k", 7501, "src-m", 7502).entrySet()) {
            String s = "sluice.mysql." + src.getKey() + ".";
            p.put(s + "host", "127.0.0.1");
            p.put(s + "port", String.valueOf(sourceDb.port()));
            p.put(s + "username", "sluice");
            p.put(s + "password", "sluice-demo-pw");
            p.put(s + "server-id", String.valueOf(src.getValue()));
        }
        String mc = "http://127.0.0.1:" + maxCompute.port();
        p.put("sluice.maxcompute.mc.endpoint", mc + "/api");
        p.put("sluice.maxcompute.mc.tunnel-endpoint", mc);
        p.put("sluice.maxcompute.mc.project", TestServers.MAXCOMPUTE_PROJECT);
        p.put("sluice.maxcompute.mc.access-id", TestServers.MAXCOMPUTE_ACCESS_ID);
        p.put("sluice.maxcompute.mc.access-key", TestServers.MAXCOMPUTE_ACCESS_KEY);
        return p;
    }

    private static String routes() {
        return """
                - route:
                    id: %s
                    from:
                      uri: "kafka-json:%s"
                      parameters:
                        brokers: "{{kafka.bootstrap.servers}}"
                        batchSize: 500
                        retryBackoffMs: 500
                      steps:
                        - to: "adb:demo.soak_kafka?dataSource=sink"
                - route:
                    id: %s
                    from:
                      uri: "sls:%s"
                      parameters:
                        dataSource: demo
                        batchSize: 100
                        pollIntervalMs: 200
                        shardRefreshMs: 500
                        retryBackoffMs: 500
                      steps:
                        - to:
                            uri: "adb:demo.soak_sls"
                            parameters:
                              dataSource: sink
                              mapping: "log_time=__time__,topic=__topic__,source_ip=__source__,env=__tag__:env"
                              unixTimestampUnit: seconds
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s"
                      parameters:
                        dataSource: src-k
                        databases: soak_k
                        maxBatchSize: 200
                      steps:
                        - to:
                            uri: "kafka-change:%s"
                            parameters:
                              brokers: "{{kafka.bootstrap.servers}}"
                              format: canal-json
                              partitionPolicy: by-primary-key
                              createTopics: true
                              partitions: 3
                - route:
                    id: %s
                    from:
                      uri: "mysql-binlog:%s"
                      parameters:
                        dataSource: src-m
                        databases: soak_m
                        maxBatchSize: 200
                      steps:
                        - to:
                            uri: "maxcompute:soak"
                            parameters:
                              dataSource: mc
                """.formatted(KAFKA_ADB, TOPIC_IN, SLS_ADB, LOGSTORE, BINLOG_KAFKA, BINLOG_KAFKA, TOPIC_OUT,
                BINLOG_MC, BINLOG_MC);
    }

    // ---------------------------------------------------------------- chaos

    private void act(Random chaos, TcpProxy sinkDb, TcpProxy sourceDb, TcpProxy maxCompute) throws Exception {
        int kind = chaos.nextInt(7);
        String link = LINKS.get(chaos.nextInt(LINKS.size()));
        int holdMs = 5_000 + chaos.nextInt(15_001);
        switch (kind) {
            case 0 -> offAndOn(link, "pause", "resume", holdMs);
            case 1 -> offAndOn(link, "stop", "start", holdMs);
            case 2 -> {
                count("SIGKILL+restart");
                sluice.kill();
                int downMs = 1_000 + chaos.nextInt(5_000);
                log("SIGKILL, restart in " + downMs + " ms");
                Thread.sleep(downMs);
                sluice.start();
                log("restarted");
            }
            case 3 -> {
                count("SIGTERM+restart");
                long ms = sluice.terminate(Duration.ofSeconds(60));
                log(ms < 0 ? "SIGTERM: not exited within 60 s, killed (see threads-N.txt)" : "SIGTERM: exited in " + ms + " ms");
                sluice.start();
                log("restarted");
            }
            default -> {
                TcpProxy proxy = kind == 4 ? sinkDb : kind == 5 ? maxCompute : sourceDb;
                String what = kind == 4 ? "sink database" : kind == 5 ? "MaxCompute server" : "source database";
                count("outage " + what);
                proxy.cut();
                log("outage of the " + what + " for " + holdMs + " ms");
                Thread.sleep(holdMs);
                proxy.restore();
                log("the " + what + " is back");
            }
        }
    }

    /** {@code off} the link through the API, {@code on} again after {@code holdMs}. */
    private void offAndOn(String link, String off, String on, int holdMs) throws InterruptedException {
        count(off + "+" + on);
        log(off + " " + link + " -> " + call(off, link) + ", " + on + " in " + holdMs + " ms");
        Thread.sleep(holdMs);
        log(on + " " + link + " -> " + call(on, link));
    }

    private int call(String action, String link) {
        try {
            return api().post("/api/links/" + link + "/" + action).then().extract().statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private long recordsOut(String link) {
        try {
            Number n = api().get("/api/links/" + link).then().extract().path("recordsOut");
            return n == null ? 0 : n.longValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private String state(String link) {
        try {
            return api().get("/api/links/" + link).then().extract().path("state");
        } catch (RuntimeException e) {
            return "unanswered";
        }
    }

    /** After the chaos every link must run again: a pause whose resume was refused (409 while retrying) is resumed here. */
    private void ensureAllRunning() throws InterruptedException {
        for (int attempt = 0; attempt < 30; attempt++) {
            boolean all = true;
            for (String link : LINKS) {
                String state = state(link);
                switch (state) {
                    case "paused" -> log("at the end " + link + " was paused: resume -> " + call("resume", link));
                    case "stopped", "failed" -> log("at the end " + link + " was " + state + ": start -> " + call("start", link));
                    default -> {
                        continue;
                    }
                }
                all = false;
            }
            if (all) {
                return;
            }
            Thread.sleep(2_000);
        }
    }

    private RequestSpecification api() {
        return RestAssured.given().baseUri(sluice.baseUrl()).header("Authorization", "Bearer " + TOKEN);
    }

    private synchronized void count(String kind) {
        actionCounts.merge(kind, 1, Integer::sum);
    }

    private synchronized void log(String line) {
        long t = (System.currentTimeMillis() - started) / 1000;
        String entry = String.format("%s T+%02d:%02d %s", Instant.now().toString().substring(11, 19), t / 60, t % 60, line);
        actionLog.add(entry);
        System.out.println("SOAK " + entry);
    }

    // ---------------------------------------------------------------- feeders

    private Thread feeder(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                feederErrors.add(e);
                log(name + " failed: " + e);
            }
        }, name);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** About 200 messages/s: each message the next version of an id from a range that grows up to {@value #KAFKA_IDS}. */
    private void feedKafka(long seed) throws Exception {
        Random random = new Random(seed * 31 + 3);
        try (KafkaProducer<String, String> p = TestServers.producer()) {
            for (int i = 0; !stopFeeding.get(); i++) {
                int id = random.nextInt(Math.min(KAFKA_IDS, 100 + i / 4));
                int version = kafkaNewest.merge(id, 1, Integer::sum);
                p.send(new ProducerRecord<>(TOPIC_IN, String.valueOf(id),
                        "{\"id\":" + id + ",\"version\":" + version + ",\"v\":\"v" + id + "-" + version + "\"}"));
                kafkaSent.incrementAndGet();
                if (i % 100 == 99) {
                    p.flush();
                    Thread.sleep(500);
                }
            }
            p.flush();
        }
    }

    /** About 200 logs/s, sequence-numbered (as the SLS link tests write them), in PutLogs calls of 100. */
    private void feedSls() throws Exception {
        Client client = TestServers.slsClient();
        for (int seq = 0; !stopFeeding.get(); seq += 100) {
            SlsToAdbLinkTest.put(client, LOGSTORE, seq, seq + 100);
            slsSent.set(seq + 100);
            Thread.sleep(500);
        }
    }

    /**
     * Every {@code tickMs}: inserts of 10 new rows, an update of up to 10 consecutive rows, a delete of a random row,
     * or a transaction of all three; counts the row changes (affected rows).
     */
    private void feedBinlog(String db, long seed, long tickMs, AtomicLong changes) throws Exception {
        Random random = new Random(seed);
        int next = 0;
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement s = c.createStatement()) {
            while (!stopFeeding.get()) {
                int op = random.nextInt(10);
                String table = db + "." + (db.equals("soak_k") ? "items" : "orders");
                List<String> sql = new ArrayList<>();
                if (op <= 3 || op == 9 || next < 50) {
                    StringBuilder sb = new StringBuilder("INSERT INTO " + table + " VALUES ");
                    for (int i = 0; i < 10; i++, next++) {
                        sb.append(i == 0 ? "" : ",").append("(").append(next).append(",0,'i").append(next).append("')");
                    }
                    sql.add(sb.toString());
                }
                if ((op >= 4 && op <= 7) || op == 9) {
                    int from = random.nextInt(next);
                    sql.add("UPDATE " + table + " SET n = n + 1, v = CONCAT('u', n + 1, '-', id) WHERE id >= " + from
                            + " AND id < " + (from + 10));
                }
                if (op == 8 || op == 9) {
                    sql.add("DELETE FROM " + table + " WHERE id = " + random.nextInt(next));
                }
                if (sql.size() > 1) {
                    c.setAutoCommit(false);
                }
                long n = 0;
                for (String q : sql) {
                    n += s.executeUpdate(q);
                }
                if (sql.size() > 1) {
                    c.commit();
                    c.setAutoCommit(true);
                }
                changes.addAndGet(n);
                Thread.sleep(tickMs);
            }
        }
    }

    // ---------------------------------------------------------------- comparison

    record Result(String link, long sent, long inDestination, long lost, long duplicated, long wrong, String detail) {
        boolean clean() {
            return lost == 0 && wrong == 0;
        }
    }

    private List<Result> catchUpAndCompare(Duration limit) throws Exception {
        long deadline = System.currentTimeMillis() + limit.toMillis();
        List<Result> results = compare();
        while (results.stream().anyMatch(r -> !r.clean()) && System.currentTimeMillis() < deadline) {
            log("catching up: " + results.stream().filter(r -> !r.clean())
                    .map(r -> r.link + " " + r.lost + " lost/behind, " + r.wrong + " wrong").toList()
                    + "; states " + LINKS.stream().map(l -> l + "=" + state(l)).toList());
            Thread.sleep(15_000);
            results = compare();
        }
        log("compared: " + (results.stream().allMatch(Result::clean) ? "all links equal their sources" : "differences remain"));
        return results;
    }

    private List<Result> compare() throws Exception {
        return List.of(compareKafkaAdb(), compareSlsAdb(), compareBinlogKafka(), compareBinlogMc());
    }

    /** Every id at its newest version with its value; an id missing or at an older version is lost; others wrong. */
    private Result compareKafkaAdb() throws Exception {
        long lost = 0;
        long wrong = 0;
        long rows = 0;
        Map<Integer, Integer> seen = new HashMap<>();
        try (Connection c = TestServers.mariaDb().adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, version, v FROM demo.soak_kafka")) {
            while (rs.next()) {
                rows++;
                int id = rs.getInt(1);
                int version = rs.getInt(2);
                seen.put(id, version);
                Integer newest = kafkaNewest.get(id);
                if (newest == null || version > newest || !("v" + id + "-" + version).equals(rs.getString(3))) {
                    wrong++;
                } else if (version < newest) {
                    lost++; // an older version: the newer messages of this id did not arrive
                }
            }
        }
        for (Integer id : kafkaNewest.keySet()) {
            if (!seen.containsKey(id)) {
                lost++;
            }
        }
        return new Result(KAFKA_ADB, kafkaSent.get(), rows, lost, 0, wrong,
                kafkaNewest.size() + " ids; lost = ids missing or not at their newest version");
    }

    /** Every seq below the number sent once, with its values; rows beyond it or with other values are wrong. */
    private Result compareSlsAdb() {
        long sent = slsSent.get();
        long rows = TestServers.queryLong("SELECT COUNT(*) FROM demo.soak_sls");
        long good = TestServers.queryLong("SELECT COUNT(*) FROM demo.soak_sls WHERE request_id = CONCAT('r-', seq) "
                + "AND amount = seq + 0.25 AND env = 'test' AND topic = 'it-topic' AND source_ip = '10.1.2.3' "
                + "AND log_time = FROM_UNIXTIME(1710604800 + seq) AND seq >= 0 AND seq < " + sent);
        return new Result(SLS_ADB, sent, rows, sent - good, 0, rows - good, "lost = seqs missing");
    }

    /** The topic replayed by key equals the table; a binlog change (position) in the topic twice is a duplicate. */
    private Result compareBinlogKafka() {
        List<ConsumerRecord<byte[], byte[]>> records = ChangeTopic.readAll(TOPIC_OUT);
        List<FlatMessage> messages = records.stream().map(r -> JSON.parseObject(r.value(), FlatMessage.class)).toList();
        Map<String, Map<String, String>> table = ChangeTopic.rows("soak_k", "items", "id", BINLOG_COLUMNS);
        Map<String, Map<String, String>> replayed = ChangeTopic.replay(messages, "soak_k", "items", "id", BINLOG_COLUMNS);
        long lost = 0;
        long wrong = 0;
        for (Map.Entry<String, Map<String, String>> e : table.entrySet()) {
            Map<String, String> r = replayed.get(e.getKey());
            if (r == null) {
                lost++;
            } else if (!r.equals(e.getValue())) {
                lost++; // a change of this key (the newest) did not arrive, or arrived out of order
            }
        }
        for (String key : replayed.keySet()) {
            if (!table.containsKey(key)) {
                wrong++; // a phantom key: its delete did not arrive
            }
        }
        // a change is its position header with its content: the rows of one transaction's rows events share a position
        Map<String, Integer> copies = new HashMap<>();
        long changes = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            for (ChangeTopic.Change c : ChangeTopic.changes(r)) {
                changes++;
                copies.merge(c.position() + " " + c.type() + " " + c.row(), 1, Integer::sum);
            }
        }
        long duplicated = changes - copies.size();
        long missing = binlogKafkaChanges.get() - copies.size();
        return new Result(BINLOG_KAFKA, binlogKafkaChanges.get(), changes, Math.max(lost, missing), duplicated, wrong,
                table.size() + " rows in the source, " + copies.size() + " distinct changes in the topic; lost = the larger of "
                        + "changes missing (" + missing + ") and keys missing or not at their current values (" + lost
                        + "); wrong = phantom keys; duplicated = a change in the topic more than once (at-least-once, allowed)");
    }

    /** The merge SQL over _base and _log equals the source table (by id, with values). */
    private Result compareBinlogMc() throws Exception {
        List<String> source;
        List<String> merged;
        List<com.aliyun.odps.data.Record> log;
        try {
            source = MergeCheck.source("soak_m", "orders", BINLOG_COLUMNS);
            String script = api().get("/api/links/" + BINLOG_MC + "/merge-sql?table=orders&time="
                    + (Instant.now().getEpochSecond() + 3600)).then().statusCode(200).extract().asString();
            merged = MergeCheck.merge(script, "orders");
            log = McTables.readAllPartitions("orders_log");
        } catch (Exception | AssertionError e) {
            return new Result(BINLOG_MC, binlogMcChanges.get(), 0, binlogMcChanges.get(), 0, 0, "merge failed: " + e);
        }
        Map<String, String> src = byKey(source);
        Map<String, String> mc = byKey(merged);
        long lost = 0;
        long wrong = 0;
        for (Map.Entry<String, String> e : src.entrySet()) {
            if (!e.getValue().equals(mc.get(e.getKey()))) {
                lost++;
            }
        }
        for (String k : mc.keySet()) {
            if (!src.containsKey(k)) {
                wrong++;
            }
        }
        wrong += merged.size() - mc.size(); // the same key twice in the merge
        // every row change in _log: one record_id each (an update's two images share it), the same one when written twice
        java.util.Set<Long> recordIds = new java.util.HashSet<>();
        java.util.Set<String> images = new java.util.HashSet<>();
        for (com.aliyun.odps.data.Record r : log) {
            recordIds.add(r.getBigint("new_dts_sync_record_id"));
            images.add(r.getBigint("new_dts_sync_record_id") + r.getString("new_dts_sync_after_flag"));
        }
        long missing = binlogMcChanges.get() - recordIds.size();
        return new Result(BINLOG_MC, binlogMcChanges.get(), recordIds.size(), Math.max(lost, missing), log.size() - images.size(),
                wrong, src.size() + " rows in the source, " + log.size() + " rows in _log; destination = distinct record_ids; "
                        + "lost = the larger of changes missing in _log (" + missing + ") and keys missing or not at their "
                        + "current values in the merge (" + lost + "); wrong = phantom or repeated keys in the merge; "
                        + "duplicated = images in _log more than once");
    }

    private static Map<String, String> byKey(List<String> rows) {
        Map<String, String> out = new HashMap<>();
        for (String r : rows) {
            out.put(r.substring(0, r.indexOf('|')), r);
        }
        return out;
    }

    private synchronized String report(double minutes, long seed, List<Result> results) {
        StringBuilder sb = new StringBuilder("\n==== Sluice soak report ====\n");
        sb.append("seed ").append(seed).append(", ").append(minutes).append(" minutes of load and chaos, ")
                .append((System.currentTimeMillis() - started) / 1000).append(" s in all\n");
        sb.append("actions: ").append(actionCounts).append("\n");
        sb.append(String.format("%-18s %10s %12s %8s %11s %8s%n", "link", "sent", "destination", "lost", "duplicated", "wrong"));
        for (Result r : results) {
            sb.append(String.format("%-18s %10d %12d %8d %11d %8d   %s%n", r.link, r.sent, r.inDestination, r.lost,
                    r.duplicated, r.wrong, r.detail));
        }
        long lost = results.stream().mapToLong(Result::lost).sum();
        long wrong = results.stream().mapToLong(Result::wrong).sum();
        long dup = results.stream().mapToLong(Result::duplicated).sum();
        sb.append("---- action log ----\n");
        actionLog.forEach(l -> sb.append(l).append("\n"));
        sb.append(String.format("SOAK %s: lost %d, wrong %d, duplicated %d (seed %d, %s min)%n",
                lost == 0 && wrong == 0 ? "PASSED" : "FAILED", lost, wrong, dup, seed, minutes));
        return sb.toString();
    }
}
