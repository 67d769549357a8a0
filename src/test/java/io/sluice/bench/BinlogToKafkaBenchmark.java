package io.sluice.bench;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.sluice.base.LinkStatsRegistry;
import io.sluice.testkit.SluiceTestResource;
import io.sluice.testkit.TestServers;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MySQL -> Kafka throughput and latency. One binlog of {@code bench.changes} row changes (70% insert, 20% update,
 * 10% delete, 10 columns) is written first; then, over exactly that binlog range, after a warm-up of both paths over
 * its first fifth (at most 100,000), {@code bench.rounds} rounds (3) of: the plain Debezium engine (no sink,
 * {@link PlainDebeziumEngine}), then the link ({@code mysql-binlog} -> {@code kafka-change}, Canal JSON, lz4,
 * acks=all), whose time runs from adding it to its {@code recordsOut} counter (records Kafka acknowledged) reaching the
 * count; then the engine once more ({@code bench.order=grouped}: all engine runs first, then the link runs). The best
 * run of each path is compared, and each run's CPU use is printed. Then,
 * with the last link running, for each of {@code bench.rates} (500,5000,20000) a steady rate of inserts (rows/s) for
 * {@code bench.seconds}: each row
 * carries its wall-clock time in ms (the binlog's event time has one-second resolution), compared with the broker's
 * append time of its record (the topic uses LogAppendTime). Not part of the test run (the class name does not end in
 * Test); see BENCHMARKS.md for the command.
 */
@QuarkusTest
class BinlogToKafkaBenchmark {

    private static final String TABLE = "binlog10";
    private static final String TOPIC = "bench.binlog10";
    private static final String LINK = "bench-binlog-kafka";

    @Inject
    LinkStatsRegistry stats;

    @ConfigProperty(name = "sluice.state.dir")
    String stateDir;

    @Test
    void linkAgainstPlainEngine() throws Exception {
        int n = Integer.getInteger("bench.changes", 1_000_000);
        // the latency at a steady load: 5,000 rows/s is the target; 500 (a lone change) and 20,000 (bursts) beside it
        List<Integer> rates = Arrays.stream(System.getProperty("bench.rates", System.getProperty("bench.rate",
                "500,5000,20000")).split(",")).map(String::trim).map(Integer::valueOf).toList();
        int seconds = Integer.getInteger("bench.seconds", 25);
        KafkaToAdbBenchmark.stopOtherLinks();
        BinlogWorkload.createTable(TABLE);
        createTopic();
        BinlogWorkload.Position start = BinlogWorkload.rotate();
        long generating = System.nanoTime();
        BinlogWorkload.mixed(TABLE, n, 0);
        double generated = n / ((System.nanoTime() - generating) / 1e9);

        // warm-up (JIT) of both paths over the first changes of the range; the link's into a topic of its own
        int warm = Integer.getInteger("bench.warmup", Math.min(n / 5, 100_000));
        PlainDebeziumEngine.streamFrom(TABLE, start, warm);
        runLink(LINK + "-warmup", "benchw", 7803, TOPIC + ".warmup", start, warm);
        api().delete("/api/links/" + LINK + "-warmup").then().statusCode(204);

        // rounds of engine, link; then the engine once more. The JIT compilers keep working through the first rounds
        // (seconds of compiling while a path is measured: the "JIT compiling" figure), so each path's best run counts
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<PlainDebeziumEngine.Result> engineRuns = new ArrayList<>();
        List<double[]> linkRuns = new ArrayList<>(); // rows/s from adding, rows/s from first ack
        List<String> cpu = new ArrayList<>();
        boolean grouped = "grouped".equals(System.getProperty("bench.order", "alternate"));
        for (int r = 1; r <= rounds + 1; r++) {
            PlainDebeziumEngine.Result e = PlainDebeziumEngine.streamFrom(TABLE, start, n);
            engineRuns.add(e);
            cpu.add(e.cpuAtEnd().since(e.cpuAtStart(), "engine run " + r, n));
            if (!grouped && r <= rounds) {
                linkRun(r, rounds, start, n, linkRuns, cpu);
            }
        }
        for (int r = 1; grouped && r <= rounds; r++) {
            linkRun(r, rounds, start, n, linkRuns, cpu);
        }

        Map<Integer, long[]> latencies = new java.util.LinkedHashMap<>();
        for (int rate : rates) {
            latencies.put(rate, latencyPhase(rate, seconds));
        }

        double engine = engineRuns.stream().mapToDouble(PlainDebeziumEngine.Result::perSecond).max().orElseThrow();
        double engineFromFirst = engineRuns.stream().mapToDouble(PlainDebeziumEngine.Result::perSecondFromFirst).max().orElseThrow();
        double link = linkRuns.stream().mapToDouble(l -> l[0]).max().orElseThrow();
        double linkFromFirst = linkRuns.stream().mapToDouble(l -> l[1]).max().orElseThrow();
        System.out.printf("%nBENCH mysql->kafka %,d row changes (70%% insert, 20%% update, 10%% delete) x 10 columns; "
                + "binlog written at %,.0f rows/s%n", n, generated);
        System.out.printf("BENCH plain Debezium engine (no sink%s), runs: %s rows/s (from first change: %s)%n",
                "position".equals(System.getProperty("bench.engine.lastEvent")) ? "; with the link's LastEvent summary" : "",
                engineRuns.stream().map(e -> String.format("%,.0f", e.perSecond())).collect(Collectors.joining(" / ")),
                engineRuns.stream().map(e -> String.format("%,.0f", e.perSecondFromFirst())).collect(Collectors.joining(" / ")));
        System.out.printf("BENCH link (canal-json, lz4, acks=all), runs from adding it: %s rows/s (from first ack: %s)%n",
                linkRuns.stream().map(l -> String.format("%,.0f", l[0])).collect(Collectors.joining(" / ")),
                linkRuns.stream().map(l -> String.format("%,.0f", l[1])).collect(Collectors.joining(" / ")));
        System.out.printf("BENCH best link %,.0f rows/s / best engine %,.0f rows/s: ratio %.2f (from first change: %.2f)%n",
                link, engine, link / engine, linkFromFirst / engineFromFirst);
        cpu.forEach(System.out::println);
        latencies.forEach((rate, l) -> System.out.printf("BENCH latency at %,d rows/s for %d s (%,d changes; insert's "
                        + "wall clock -> broker append time): p50 %d ms, p99 %d ms, max %d ms%n", rate, seconds, l.length,
                percentile(l, 0.50), percentile(l, 0.99), l[l.length - 1]));
        System.out.println();
    }

    /** Round {@code r}'s link run: a new link over the same binlog range; the last one stays for the latency phase. */
    private void linkRun(int r, int rounds, BinlogWorkload.Position start, int n, List<double[]> linkRuns, List<String> cpu)
            throws Exception {
        boolean last = r == rounds;
        String id = last ? LINK : LINK + "-" + r;
        String topic = last ? TOPIC : TOPIC + ".r" + r;
        CpuUse linkStartCpu = CpuUse.now();
        jdk.jfr.Recording profile = last ? BenchProfile.start() : null;
        long[] times = runLink(id, "benchk" + r, 7810 + r, topic, start, n);
        BenchProfile.stop(profile);
        cpu.add(CpuUse.now().since(linkStartCpu, "link run " + r, n));
        long inTopic = changesIn(topic);
        assertTrue(inTopic >= n, "every change in the topic: " + inTopic);
        double fromAdding = n / ((times[2] - times[0]) / 1e9);
        linkRuns.add(new double[]{fromAdding, times[1] == 0 ? fromAdding : n / ((times[2] - times[1]) / 1e9)});
        if (!last) {
            api().delete("/api/links/" + id).then().statusCode(204);
        }
    }

    /**
     * Adds link {@code id} (binlog reader {@code name}, {@code serverId}) with its offsets at {@code start} and waits
     * until its recordsOut counter (changes Kafka acknowledged) reaches {@code n}: nanoTimes of adding it, of the first
     * acknowledged batch and of the end.
     */
    private long[] runLink(String id, String name, int serverId, String topic, BinlogWorkload.Position start, long n)
            throws Exception {
        BinlogWorkload.seedOffsets(Path.of(stateDir, id, "offsets.dat"), "sluice-" + id, name, start);
        long added = System.nanoTime();
        api().contentType("application/yaml").body(route(id, name, serverId, topic).getBytes()).post("/api/links")
                .then().statusCode(201);
        long first = 0;
        long count;
        while ((count = stats.of(id).recordsOut()) < n) {
            if (first == 0 && count > 0) {
                first = System.nanoTime();
            }
            Thread.sleep(5);
        }
        return new long[]{added, first, System.nanoTime()};
    }

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + SluiceTestResource.TOKEN);
    }

    /**
     * The link: Canal JSON, lz4, acks=all (the sink's defaults, spelled out), keyed partitions; {@code bench.sourceOptions}
     * is appended to the source's URI (e.g. {@code &additionalProperties.poll.interval.ms=50}).
     */
    private static String route(String id, String name, int serverId, String topic) {
        String source = "mysql-binlog:" + name + "?dataSource=bench-mariadb&serverId=" + serverId
                + "&snapshotMode=recovery&databases=" + BinlogWorkload.DATABASE + "&tables=" + BinlogWorkload.DATABASE
                + "\\\\." + TABLE + System.getProperty("bench.sourceOptions", "");
        String sink = "kafka-change:" + topic + "?brokers=" + TestServers.kafka().bootstrapServers()
                + "&format=canal-json&compression=lz4&acks=all&partitionPolicy=by-primary-key&createTopics=true&partitions=3";
        return "- route:\n    id: " + id + "\n    from:\n      uri: \"" + source + "\"\n      steps:\n        - to: \""
                + sink + "\"\n";
    }

    /** 3 partitions; the broker stamps each record with its append time, which the latency is measured to. */
    private static void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
        }
    }

    /**
     * Inserts {@code rate} rows/s (every 10 ms a statement of rate/100 rows, w_ms = its wall-clock time) for
     * {@code seconds}, waits for the link to send them all, and returns the sorted latencies in ms.
     */
    /** The id of the next row the latency phases insert. */
    private final AtomicLong nextLatencyId = new AtomicLong(10_000_000_000L);

    private long[] latencyPhase(int rate, int seconds) throws Exception {
        Map<TopicPartition, Long> from = endOffsetsByPartition(TOPIC);
        int perTick = rate / 100;
        int ticks = seconds * 100;
        AtomicLong next = nextLatencyId; // across the phases: a phase's rows must not collide with the one before
        java.util.concurrent.atomic.AtomicReference<Exception> writeFailed = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicLong done = new AtomicLong();
        long outBefore = stats.of(LINK).recordsOut();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (var c = TestServers.mariaDb().adminConnection(); var s = c.createStatement()) {
            writer.scheduleAtFixedRate(() -> {
                if (done.get() >= ticks) {
                    return;
                }
                try {
                    s.executeUpdate(BinlogWorkload.insert(BinlogWorkload.DATABASE + "." + TABLE,
                            next.getAndAdd(perTick), perTick, System.currentTimeMillis()));
                } catch (java.sql.SQLException e) {
                    writeFailed.set(e); // a scheduled task that throws is silently never run again
                    throw new IllegalStateException(e);
                }
                done.incrementAndGet();
            }, 0, 10, TimeUnit.MILLISECONDS);
            long deadline = System.currentTimeMillis() + seconds * 1000L + 120_000;
            while (stats.of(LINK).recordsOut() < outBefore + (long) ticks * perTick) {
                if (writeFailed.get() != null) {
                    throw new IllegalStateException("the latency phase's inserts failed", writeFailed.get());
                }
                assertTrue(System.currentTimeMillis() < deadline, "the latency phase's rows arrive: "
                        + (stats.of(LINK).recordsOut() - outBefore) + " of " + (long) ticks * perTick + " sent, "
                        + done.get() + " of " + ticks + " inserts made; records in " + stats.of(LINK).recordsIn()
                        + ", halted: " + stats.of(LINK).haltReason());
                Thread.sleep(50);
            }
        } finally {
            writer.shutdownNow();
        }
        long[] latencies = latencies(from);
        assertEquals((long) ticks * perTick, latencies.length, "one latency per inserted row");
        Arrays.sort(latencies);
        return latencies;
    }

    /** Broker append time minus w_ms of every inserted row in the records of the topic from offsets {@code from}. */
    private static long[] latencies(Map<TopicPartition, Long> from) {
        List<Long> out = new ArrayList<>();
        read(TOPIC, from, r -> {
            if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                throw new IllegalStateException("the topic must stamp LogAppendTime");
            }
            FlatMessage m = JSON.parseObject(r.value(), FlatMessage.class);
            if (Boolean.TRUE.equals(m.getIsDdl()) || !"INSERT".equals(m.getType())) {
                return;
            }
            for (Map<String, String> row : m.getData()) {
                long wallMs = Long.parseLong(row.get("w_ms"));
                if (wallMs > 0) {
                    out.add(r.timestamp() - wallMs);
                }
            }
        });
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The row changes in the topic: a message carries the rows its position header names (row,row,...). */
    private static long changesIn(String topic) {
        AtomicLong changes = new AtomicLong();
        read(topic, Map.of(), r -> {
            String header = new String(r.headers().lastHeader("sluice.binlog").value(), java.nio.charset.StandardCharsets.UTF_8);
            changes.addAndGet(1 + header.chars().filter(c -> c == ',').count());
        });
        return changes.get();
    }

    /** Every record of {@code topic} up to its current end, from the offsets {@code from} (else the beginning). */
    private static void read(String topic, Map<TopicPartition, Long> from,
                             java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> tps = partitions(consumer, topic);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsetsByPartition(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafka().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
