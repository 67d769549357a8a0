package io.sluice.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a benchmark phase's CPU went by stage, from the execution samples of a Flight Recorder profile
 * ({@link BenchProfile}): each sample of a thread whose name starts with one of the given prefixes counts for the first
 * stage whose method (class and method name, any part) is on its stack, innermost frame first, else for "other"; a
 * sample of another thread counts for "other threads". Samples are CPU time, so the shares are of the CPU the
 * threads used, not of the wall-clock time.
 */
final class SampleSplit {

    /** A stage: its label and the method names (any part of {@code Class.method}) that mark it. */
    record Stage(String label, List<String> methods) {
        Stage(String label, String... methods) {
            this(label, List.of(methods));
        }
    }

    private SampleSplit() {
    }

    /**
     * {@code BENCH split <label>: <n> samples; <stage> <share>% ...} over the samples between {@code from} and
     * {@code to} in {@code recording}, for threads named {@code threadPrefixes}, and the samples of each other thread
     * group (names without digits) with at least 2% of the total.
     */
    static String of(Path recording, Instant from, Instant to, String label, List<String> threadPrefixes,
                     List<Stage> stages) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        stages.forEach(s -> counts.put(s.label(), 0));
        counts.put("other", 0);
        Map<String, Integer> others = new LinkedHashMap<>();
        int total = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")
                        || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                total++;
                RecordedThread t = e.getThread("sampledThread");
                String name = t == null || t.getJavaName() == null ? "?" : t.getJavaName();
                if (threadPrefixes.stream().noneMatch(name::startsWith) || e.getStackTrace() == null) {
                    others.merge(name.replaceAll("[0-9]+", "#"), 1, Integer::sum);
                    continue;
                }
                counts.merge(stageOf(e.getStackTrace().getFrames(), stages), 1, Integer::sum);
            }
        }
        int all = Math.max(1, total);
        return String.format("BENCH split %s: %d samples; %s threads: %s; other threads: %s", label, total,
                threadPrefixes, counts.entrySet().stream()
                        .map(c -> String.format("%s %.1f%%", c.getKey(), 100.0 * c.getValue() / all))
                        .collect(Collectors.joining(", ")),
                others.entrySet().stream().filter(o -> o.getValue() * 50 >= all)
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .map(o -> String.format("%s %.1f%%", o.getKey(), 100.0 * o.getValue() / all))
                        .collect(Collectors.joining(", ")));
    }

    private static String stageOf(List<RecordedFrame> frames, List<Stage> stages) {
        for (RecordedFrame f : frames) {
            String method = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            for (Stage s : stages) {
                if (s.methods().stream().anyMatch(method::contains)) {
                    return s.label();
                }
            }
        }
        return "other";
    }
}
