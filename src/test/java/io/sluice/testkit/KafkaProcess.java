package io.sluice.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A KRaft Kafka broker (combined broker + controller) in its own process, for a test that takes Kafka down: the
 * in-process broker cannot be, and a {@link TcpProxy} cannot stand in front of a broker (it advertises its real port).
 * {@link #freeze()} stops the process (SIGSTOP: a cluster that accepts connections and never answers), {@link #thaw()}
 * continues it (SIGCONT). The classes come from the test JVM's classpath (the embedded broker's). Logs and data in
 * {@code dir}; {@link #close()} thaws and destroys it.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaProcess(Path dir) throws IOException {
        this.dir = dir;
        this.port = SluiceProcess.freePort();
        this.controllerPort = SluiceProcess.freePort();
    }

    /** Formats the storage and starts the broker, waiting until it answers (at most 60 s). */
    public static KafkaProcess start(Path dir) throws Exception {
        KafkaProcess k = new KafkaProcess(dir);
        k.startup();
        return k;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void startup() throws Exception {
        SluiceProcess.deleteRecursively(dir);
        Files.createDirectories(dir.resolve("data"));
        Path props = dir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "") + "\n");
        String clusterId = run(List.of("kafka.tools.StorageTool", "random-uuid"), "uuid").trim();
        String[] lines = clusterId.split("\\R");
        clusterId = lines[lines.length - 1].trim();
        run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toAbsolutePath().toString(),
                "--standalone"), "format");
        process = new ProcessBuilder(command(List.of("kafka.Kafka", props.toAbsolutePath().toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("kafka.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ": see "
                        + dir.resolve("kafka.log"));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("the Kafka broker did not answer within 60 s: see " + dir.resolve("kafka.log"));
    }

    private List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        return cmd;
    }

    private String run(List<String> mainAndArgs, String name) throws Exception {
        Path out = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command(mainAndArgs)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Kafka's StorageTool " + name + " did not finish: see " + out);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("Kafka's StorageTool " + name + " failed: " + Files.readString(out));
        }
        return Files.readString(out);
    }

    /** SIGSTOP: the broker keeps its sockets and answers nothing. */
    public void freeze() throws Exception {
        signal("STOP");
    }

    /** SIGCONT: the broker answers again. */
    public void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            try {
                thaw();
            } catch (Exception e) {
                // destroyed below anyway
            }
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
