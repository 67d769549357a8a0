package io.sluice.base;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A link's recent run log: state changes and errors with their times, newest last, bounded in size. */
public final class RunLog {

    /** One line of a run log. */
    public record Entry(Instant time, String event, String message) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    public RunLog(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(String event, String message) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(Instant.now(), event, message));
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
