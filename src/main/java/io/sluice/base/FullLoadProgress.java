package io.sluice.base;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A full load's progress, as a source that copies whole tables before it streams changes (the binlog source) reports
 * it: the tables it copies with their estimated rows, the rows the sink has accepted per table, which tables are done,
 * and when the whole load is. Kept on the link's {@link LinkStats} (the last one started in this process) and read by
 * the control plane while the source writes it.
 */
public final class FullLoadProgress {

    public static final String FULL_LOAD = "full load";
    public static final String INCREMENTAL = "incremental";

    /** One table of the full load, as the API shows it ({@code table} is {@code database.table} at the source). */
    public record Table(String table, long rowsCopied, long rowsEstimated, boolean done) {
    }

    /** The whole load, as the API shows it; {@code phase} is {@link #FULL_LOAD} or {@link #INCREMENTAL}. */
    public record View(String phase, int tablesDone, int tablesTotal, long rowsCopied, long rowsEstimated,
                       List<Table> tables) {
    }

    private static final class Count {
        final AtomicLong copied = new AtomicLong();
        volatile long estimated;
        volatile boolean done;
    }

    /** Insertion-ordered enough for a person: sorted by name when shown. */
    private final Map<String, Count> tables = new ConcurrentHashMap<>();
    private volatile boolean completed;

    /** The tables the load copies, with their estimated rows (a table reported again keeps what it counted). */
    public void tables(Map<String, Long> estimatedRows) {
        estimatedRows.forEach((table, rows) -> count(table).estimated = Math.max(0, rows));
    }

    /** Rows of {@code table} the sink accepted. */
    public void copied(String table, long rows) {
        count(table).copied.addAndGet(rows);
    }

    /** Every row of {@code table} was accepted. */
    public void tableDone(String table) {
        count(table).done = true;
    }

    /** The whole load was accepted: the link streams changes now. */
    public void completed() {
        completed = true;
        tables.values().forEach(c -> c.done = true);
    }

    public boolean isCompleted() {
        return completed;
    }

    /** The tables this load knows of. */
    public Collection<String> tableNames() {
        return List.copyOf(tables.keySet());
    }

    public View view() {
        List<Table> out = new ArrayList<>();
        long copied = 0;
        long estimated = 0;
        int done = 0;
        for (Map.Entry<String, Count> e : new java.util.TreeMap<>(tables).entrySet()) {
            Count c = e.getValue();
            boolean tableDone = completed || c.done;
            long rows = c.copied.get();
            // the estimate is information_schema's (InnoDB samples it): once a table is done its rows are known, and
            // while it is copied the estimate never shows less than what was copied already
            long estimate = tableDone ? rows : Math.max(c.estimated, rows);
            out.add(new Table(e.getKey(), rows, estimate, tableDone));
            copied += rows;
            estimated += estimate;
            done += tableDone ? 1 : 0;
        }
        return new View(completed ? INCREMENTAL : FULL_LOAD, done, out.size(), copied, estimated, out);
    }

    private Count count(String table) {
        return tables.computeIfAbsent(table, t -> new Count());
    }
}
