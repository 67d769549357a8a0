package io.sluice.maxcompute;

import io.sluice.change.SourcePosition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** record_id within a transaction from Debezium's (group position, event, row), across restarts in the group. */
class GroupOrdinalsTest {

    /** One transaction at 1000: event 2 with rows 0-1, event 4 with rows 0-2, event 6 with row 0; then one at 2000. */
    private static final List<SourcePosition> ROWS = List.of(
            row(1000, 2, 0), row(1000, 2, 1), row(1000, 4, 0), row(1000, 4, 1), row(1000, 4, 2), row(1000, 6, 0),
            row(2000, 2, 0));

    @Test
    void rowsAreNumberedWithinTheirTransactionAcrossItsRowsEvents() {
        GroupOrdinals o = new GroupOrdinals(List.of());
        List<Long> ordinals = ROWS.stream().map(o::ordinal).toList();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 0L), ordinals);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < ROWS.size(); i++) {
            ids.add(RecordIds.of(ROWS.get(i).binlogFile(), ROWS.get(i).position(), ordinals.get(i)));
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1) < ids.get(i), "strictly growing: " + ids);
        }
    }

    @Test
    void aRestartInTheMiddleOfATransactionGivesTheSameOrdinals() {
        // batches end after rows 1, 3 and 5; the source may resume after any batch end it stored
        int[] batchEnds = {2, 4, 6};
        for (int resumeAfter : batchEnds) {
            GroupOrdinals first = new GroupOrdinals(List.of());
            List<Long> expected = new ArrayList<>();
            int next = 0;
            for (int end : batchEnds) {
                for (; next < end; next++) {
                    expected.add(first.ordinal(ROWS.get(next)));
                }
                first.markBatchEnd();
            }
            // killed after the last batch, the source stored the end of an earlier one: it replays from there
            GroupOrdinals restarted = new GroupOrdinals(first.marks());
            List<Long> replayed = new ArrayList<>();
            for (int i = resumeAfter; i < ROWS.size(); i++) {
                replayed.add(restarted.ordinal(ROWS.get(i)));
            }
            List<Long> all = new ArrayList<>(expected);
            all.add(0L); // the next transaction's row
            assertEquals(all.subList(resumeAfter, all.size()), replayed, "resumed after row " + resumeAfter);
        }
    }

    @Test
    void rowsDroppedBeforeTheSinkCountAsTheyDidTheFirstTime() {
        // row 1 of event 2 is not selected; the batch ends after row 2 of event 2
        GroupOrdinals first = new GroupOrdinals(List.of());
        assertEquals(0L, first.ordinal(row(1000, 2, 0)));
        assertEquals(2L, first.ordinal(row(1000, 2, 2)));
        first.markBatchEnd();
        assertEquals(3L, first.ordinal(row(1000, 4, 0)));
        GroupOrdinals restarted = new GroupOrdinals(first.marks());
        assertEquals(3L, restarted.ordinal(row(1000, 4, 0)));
    }

    @Test
    void aFailedBatchIsCountedAgainFromWhereItStarted() {
        GroupOrdinals o = new GroupOrdinals(List.of());
        o.ordinal(row(1000, 2, 0));
        GroupOrdinals.Mark start = o.position();
        assertEquals(1L, o.ordinal(row(1000, 2, 1)));
        assertEquals(2L, o.ordinal(row(1000, 4, 0)));
        o.reset(start);
        assertEquals(1L, o.ordinal(row(1000, 2, 1)));
        assertEquals(2L, o.ordinal(row(1000, 4, 0)));
    }

    @Test
    void marksSurviveTheirTextForm() {
        GroupOrdinals.Mark m = new GroupOrdinals.Mark("mariadb-bin.000003", 1000, 4, 2, 3);
        assertEquals(m, GroupOrdinals.Mark.parse(m.line()));
    }

    private static SourcePosition row(long group, long event, int row) {
        return new SourcePosition("mariadb-bin.000003", group, row, null, 1, null, 1_700_000_000_000L, false, event);
    }
}
