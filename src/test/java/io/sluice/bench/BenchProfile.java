package io.sluice.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.nio.file.Path;

/**
 * {@code -Dbench.jfr=<file>}: a Flight Recorder profile (JDK's "profile" settings) of a benchmark's measured phase,
 * to see where its time goes ({@code jfr print --events jdk.ExecutionSample <file>}). With {@code -Dbench.jfr.parks=true}
 * every wait is recorded too (parks and monitor waits of any length, with stacks): which thread waits for which.
 * Starting a recording mid-run makes the JIT recompile much of the running code, so the profiled run itself is slow;
 * for rates, record the whole JVM instead ({@code JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=filename=...}).
 */
final class BenchProfile {

    private BenchProfile() {
    }

    /** A started recording, or null when no {@code bench.jfr} file is asked for. */
    static Recording start() throws Exception {
        if (System.getProperty("bench.jfr") == null) {
            return null;
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        if (Boolean.getBoolean("bench.jfr.parks")) {
            for (String waits : new String[]{"jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait"}) {
                r.enable(waits).withThreshold(java.time.Duration.ZERO).withStackTrace();
            }
        }
        r.start();
        return r;
    }

    /** A started recording (for a benchmark that always splits its time by the profile), written to {@code file}. */
    static Recording start(Path file) throws Exception {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setDestination(file);
        r.start();
        return r;
    }

    /** Stops a recording {@link #start(Path) started} for a file, which writes it there. */
    static void stop(Recording r, Path file) throws Exception {
        r.stop();
        if (!java.nio.file.Files.exists(file)) {
            throw new IllegalStateException("the profile was not written to " + file);
        }
    }

    /** Stops the recording (if any) and writes it to the {@code bench.jfr} file. */
    static void stop(Recording r) throws Exception {
        if (r != null) {
            r.stop();
            r.dump(Path.of(System.getProperty("bench.jfr")));
        }
    }
}
