package io.sluice.maxcompute;

import io.sluice.change.SourcePosition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The index of a binlog row within its event group (transaction), the part of {@code record_id} after the group's
 * position, the same after a restart in the middle of the group.
 *
 * <p>Debezium gives a binlog row its group's start position, the index of its rows event within the group (the source
 * offset's {@code event}) and its index within that rows event. The ordinal is the number of rows of the group's
 * earlier rows events plus the row's index: {@code rowsBefore(event) + row}. Counting the earlier events' rows needs
 * them seen, which a restart in the middle of a group does not: Debezium resumes from its stored offset, at a batch's
 * end, skipping the events and rows before it. So at the end of each written batch a <em>mark</em> is kept, durably
 * (in the link's state, before the batch is acknowledged, so before Debezium can store the offset): the group, the
 * event, the rows before that event and the rows seen in it. A restart resumes the count from the latest mark of the
 * group at or before the first event it receives, which is the mark of the batch whose end Debezium stored.
 *
 * <p>Rows an earlier stage dropped (tables or rows not selected) count as they did the first time: a rows event
 * counts as {@code 1 + its highest row index seen}. Each row takes at least one byte of the group, so
 * {@code groupPosition + ordinal} stays below the next group's position and {@link RecordIds} grow strictly.
 */
final class GroupOrdinals {

    /** Marks kept: the batch ends Debezium's stored offset may point at (it stores one about every second). */
    static final int MAX_MARKS = 1024;

    /** A batch's end in a group: {@code rowsBefore} rows in the group's earlier events, {@code rowsSeen} in this one. */
    record Mark(String file, long groupPosition, long event, long rowsBefore, long rowsSeen) {

        String line() {
            return file + " " + groupPosition + " " + event + " " + rowsBefore + " " + rowsSeen;
        }

        static Mark parse(String line) {
            String[] p = line.trim().split(" ");
            return new Mark(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
                    Long.parseLong(p[4]));
        }
    }

    private final Deque<Mark> marks = new ArrayDeque<>();
    /** The current group's count: null before the first binlog row. */
    private Mark current;

    GroupOrdinals(List<Mark> marks) {
        this.marks.addAll(marks);
        while (this.marks.size() > MAX_MARKS) {
            this.marks.removeFirst();
        }
    }

    /** The row's index within its group (see the class comment). */
    long ordinal(SourcePosition p) {
        long event = p.eventInGroup();
        if (current == null || current.groupPosition() != p.position() || !current.file().equals(p.binlogFile())
                || event < current.event()) {
            current = resume(p.binlogFile(), p.position(), event);
        }
        if (event > current.event()) {
            current = new Mark(current.file(), current.groupPosition(), event,
                    current.rowsBefore() + current.rowsSeen(), 0);
        }
        long ordinal = current.rowsBefore() + p.rowInEvent();
        if (p.rowInEvent() + 1L > current.rowsSeen()) {
            current = new Mark(current.file(), current.groupPosition(), event, current.rowsBefore(), p.rowInEvent() + 1L);
        }
        return ordinal;
    }

    /** The latest mark of the group at or before {@code event}, or a fresh count. */
    private Mark resume(String file, long groupPosition, long event) {
        Mark best = null;
        for (Mark m : marks) {
            if (m.groupPosition() == groupPosition && m.file().equals(file) && m.event() <= event
                    && (best == null || m.event() > best.event()
                    || (m.event() == best.event() && m.rowsSeen() > best.rowsSeen()))) {
                best = m;
            }
        }
        return best != null ? best : new Mark(file, groupPosition, event, 0, 0);
    }

    /** The count to return to when a batch fails (its retry starts there again). */
    Mark position() {
        return current;
    }

    void reset(Mark position) {
        current = position;
    }

    /** Marks the end of a written batch; true when there is a new mark to store. */
    boolean markBatchEnd() {
        return markBatchEnd(current);
    }

    /**
     * Marks the end of a written batch whose count was {@code end} ({@link #position()} after its last row: batches
     * written together are marked each at its own end, once all are committed); true when there is a new mark.
     */
    boolean markBatchEnd(Mark end) {
        if (end == null || end.equals(marks.peekLast())) {
            return false;
        }
        marks.addLast(end);
        if (marks.size() > MAX_MARKS) {
            marks.removeFirst();
        }
        return true;
    }

    List<Mark> marks() {
        return new ArrayList<>(marks);
    }
}
