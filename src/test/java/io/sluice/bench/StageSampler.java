package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a link's threads spend their wall time, stage by stage: every {@code periodMillis} the stacks of the threads
 * whose names start with one of the given prefixes are read, and each sample counts for the stage of the first rule
 * that matches any of its frames (a frame is {@code class.method}; a rule matches by prefix; the rules are in order of
 * precedence, so a commit that waits on a socket can count as the commit), or "other". Unlike
 * {@link CpuUse}, this sees waiting too: a poll thread waiting for the database commit at a batch's end, a writer
 * thread idle between batches. Costs one stack walk of a few threads per sample, no recompilation (JFR's profile
 * settings make the JIT recompile much of the running code, see {@link BenchProfile}).
 */
final class StageSampler implements AutoCloseable {

    /** A stage: the samples with a frame that starts with {@code framePrefix} (and no frame of an earlier rule). */
    record Rule(String framePrefix, String stage) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final List<String> threadPrefixes;
    private final List<Rule> rules;
    private final long periodMillis;
    /** Per thread group (name without digits): samples per stage. Written by the sampling thread only. */
    private final Map<String, Map<String, Integer>> samples = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private StageSampler(List<String> threadPrefixes, List<Rule> rules, long periodMillis) {
        this.threadPrefixes = threadPrefixes;
        this.rules = rules;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::run, "bench-stage-sampler");
        this.thread.setDaemon(true);
    }

    /** Starts sampling the threads named {@code threadPrefixes...} every {@code periodMillis}. */
    static StageSampler start(List<String> threadPrefixes, List<Rule> rules, long periodMillis) {
        StageSampler s = new StageSampler(threadPrefixes, rules, periodMillis);
        s.thread.start();
        return s;
    }

    private void run() {
        long[] ids = new long[0];
        Map<Long, String> groups = new HashMap<>();
        long nextLookup = 0;
        while (running) {
            if (System.currentTimeMillis() >= nextLookup) { // threads come and go (a link's writer threads start late)
                groups.clear();
                for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                    if (t != null && threadPrefixes.stream().anyMatch(t.getThreadName()::startsWith)) {
                        groups.put(t.getThreadId(), t.getThreadName().replaceAll("[0-9]+", "#"));
                    }
                }
                ids = groups.keySet().stream().mapToLong(Long::longValue).toArray();
                nextLookup = System.currentTimeMillis() + 500;
            }
            for (ThreadInfo t : THREADS.getThreadInfo(ids, 64)) {
                if (t != null) {
                    samples.computeIfAbsent(groups.get(t.getThreadId()), g -> new HashMap<>())
                            .merge(stage(t.getStackTrace()), 1, Integer::sum);
                }
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String stage(StackTraceElement[] stack) {
        String[] frames = new String[stack.length];
        for (int i = 0; i < stack.length; i++) {
            frames[i] = stack[i].getClassName() + "." + stack[i].getMethodName();
        }
        for (Rule r : rules) {
            for (String frame : frames) {
                if (frame.startsWith(r.framePrefix())) {
                    return r.stage();
                }
            }
        }
        return "other";
    }

    /** Stops sampling and waits for the sampling thread. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line per thread group: {@code BENCH stages <label> <group> (n samples): stage 41%, stage 30%, ...}. */
    List<String> lines(String label) {
        List<String> out = new ArrayList<>();
        samples.forEach((group, stages) -> {
            int total = stages.values().stream().mapToInt(Integer::intValue).sum();
            Map<String, Integer> sorted = stages.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
            out.add(String.format("BENCH stages %s, %s (%d samples of wall time): %s", label, group, total,
                    sorted.entrySet().stream().map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                            .collect(Collectors.joining(", "))));
        });
        return out;
    }
}
