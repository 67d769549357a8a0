package io.sluice.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a benchmark phase's CPU went in this JVM: the process's CPU time, each thread's (grouped by name without its
 * number), the collectors' pause time and the JIT compilers' time, and the test kit's MariaDB server's CPU time. On a machine whose cores are all busy, rows/s follow CPU per row, and this
 * shows which thread's share to cut; the rest of the process (process minus threads) is the garbage collector's and
 * the JIT's own threads.
 */
final class CpuUse {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long wallNanos;
    private final long processNanos;
    private final long gcMillis;
    private final long jitMillis;
    private final long mariaDbNanos;
    private final Map<Long, Long> threadNanos;
    private final Map<Long, String> threadNames;

    private CpuUse(long wallNanos, long processNanos, long gcMillis, long jitMillis, long mariaDbNanos,
                   Map<Long, Long> threadNanos, Map<Long, String> threadNames) {
        this.wallNanos = wallNanos;
        this.processNanos = processNanos;
        this.gcMillis = gcMillis;
        this.jitMillis = jitMillis;
        this.mariaDbNanos = mariaDbNanos;
        this.threadNanos = threadNanos;
        this.threadNames = threadNames;
    }

    static CpuUse now() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                long c = THREADS.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    cpu.put(t.getThreadId(), c);
                    names.put(t.getThreadId(), t.getThreadName());
                }
            }
        }
        long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long mariaDb = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("mariadbd"))
                .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
        return new CpuUse(System.nanoTime(), process, gc, jit, mariaDb, cpu, names);
    }

    /**
     * One line per thread group that used at least 1% of the phase's process CPU since {@code start}, per
     * {@code rows} rows: {@code BENCH cpu <label>: process 1.92 cores, 13.1 us/row; <group> 5.2 us/row ...}.
     */
    String since(CpuUse start, String label, long rows) {
        double seconds = (wallNanos - start.wallNanos) / 1e9;
        long process = processNanos - start.processNanos;
        Map<String, Long> groups = new TreeMap<>();
        long threads = 0;
        for (Map.Entry<Long, Long> t : threadNanos.entrySet()) {
            long used = t.getValue() - start.threadNanos.getOrDefault(t.getKey(), 0L);
            threads += used;
            groups.merge(threadNames.get(t.getKey()).replaceAll("[0-9]+", "#"), used, Long::sum);
        }
        String top = groups.entrySet().stream().filter(e -> e.getValue() >= process / 100)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / 1e3 / rows))
                .collect(Collectors.joining("; "));
        return String.format("BENCH cpu %s: process %.2f cores over %.1f s = %.2f us/row (collector pauses %d ms, JIT "
                        + "compiling %d ms; outside Java threads, i.e. GC/JIT/native and ended threads, %.2f us/row); "
                        + "MariaDB %.2f cores, %.2f us/row; us/row by thread: %s",
                label, process / 1e9 / seconds, seconds, process / 1e3 / rows, gcMillis - start.gcMillis,
                jitMillis - start.jitMillis, (process - threads) / 1e3 / rows,
                (mariaDbNanos - start.mariaDbNanos) / 1e9 / seconds, (mariaDbNanos - start.mariaDbNanos) / 1e3 / rows,
                top);
    }
}
