package io.sluice.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The packaged Sluice ({@code target/quarkus-app/quarkus-run.jar}) as a separate process with its own working
 * directory (application.properties, routes/), so a test can kill it with SIGKILL and start it again, as an
 * operator or a crash would. Its output goes to {@code <workDir>/sluice-<n>.log}.
 */
public final class SluiceProcess implements AutoCloseable {

    /** System property: {@code true} runs the app with the JVM's optimizing compiler too (benchmarks measure speed). */
    public static final String FULL_JIT = "sluice.process.full-jit";

    private final Path workDir;
    private final int port;
    private volatile Process process; // read by watchers (a kubelet stand-in) on their own threads
    private int starts;

    /**
     * A working directory holding the project's application.properties with {@code properties} appended (they win),
     * and {@code routes} in routes/.
     */
    public SluiceProcess(Path workDir, Map<String, String> properties, Map<String, String> routes) throws IOException {
        this.workDir = workDir;
        this.port = freePort();
        deleteRecursively(workDir); // a previous run's state (checkpoints) belongs to servers that no longer exist
        Files.createDirectories(workDir.resolve("routes"));
        Files.createDirectories(workDir.resolve("kamelets"));
        String props = Files.readString(Path.of("application.properties")) + "\n# test overrides\n"
                + properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"))
                + "quarkus.http.port=" + port + "\nquarkus.http.host=127.0.0.1\n"
                // where the other instances of a cluster reach this one (unused without a cluster)
                + "sluice.cluster.advertised-url=" + baseUrl() + "\n";
        Files.writeString(workDir.resolve("application.properties"), props);
        for (Map.Entry<String, String> r : routes.entrySet()) {
            Files.writeString(workDir.resolve("routes").resolve(r.getKey()), r.getValue());
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the app and waits until its HTTP server answers. */
    public void start() throws Exception {
        String jar = System.getProperty("sluice.app.jar", "target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: run the packaged-app tests with ./mvnw verify");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        if (!Boolean.getBoolean(FULL_JIT)) {
            // the quick compiler only: these processes move a few thousand rows, and on two cores the optimizing
            // compiler's work at each start slows every process of a test (benchmarks set FULL_JIT)
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        cmd.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
        starts++;
        process = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("sluice-" + starts + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Sluice exited with " + process.exitValue() + ": see "
                        + workDir.resolve("sluice-" + starts + ".log"));
            }
            if (answers()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Sluice did not answer within 60 s: see " + workDir.resolve("sluice-" + starts + ".log"));
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl() + "/q/health/live").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the running app's threads to threads-N.txt in the working directory (to see what a stop waits for). */
    private void threadDump() {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("threads-" + starts + ".txt").toFile())
                    .start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // only a diagnostic
        }
    }

    /** Whether the process runs (started and not exited). */
    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGTERM, as Kubernetes or Ctrl+C sends it, and waits up to {@code limit} for the process to exit: the ms it took,
     * or -1 when it was still running (it is then killed).
     */
    public long terminate(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            threadDump();
            kill();
            return -1;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
