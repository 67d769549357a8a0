package io.sluice.maxcompute;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code record_id} from the binlog position: {@code fileIndex * 2^32 + groupPosition + rowInGroup}.
 *
 * <ul>
 *   <li>{@code fileIndex}: the binlog file's number ({@code mysql-bin.000042} -> 42), 0 .. 2^31-1;</li>
 *   <li>{@code groupPosition}: the start of the row's event group (transaction) in that file, as Debezium gives it
 *       (binlog positions are 32-bit, 0 .. 2^32-1);</li>
 *   <li>{@code rowInGroup}: the row's index within its group, from 0 ({@link GroupOrdinals}: from Debezium's event
 *       index within the group and row index within the event, the same after a restart in the group).</li>
 * </ul>
 *
 * <p>Why it grows strictly in binlog order: each row image takes at least one byte of its group, so
 * {@code rowInGroup} is below the group's length and {@code groupPosition + rowInGroup} below the next group's
 * position. So the ids of one group's rows lie below every id of the next group, and a later file starts above every
 * id of an earlier one (the position part is below 2^32). The id fits a signed BIGINT: at most
 * (2^31-1) * 2^32 + 2^32 - 1 = 2^63 - 1. It is a function of the position, so a replay after a restart writes the same
 * ids and duplicates are recognisable. Both rows of an UPDATE share the id. {@code _base} rows carry no id; the merge
 * counts them as 0, below every change.
 */
public final class RecordIds {

    private static final long TWO_32 = 1L << 32;
    private static final Pattern FILE_NUMBER = Pattern.compile(".*?(\\d+)$");

    private RecordIds() {
    }

    public static long of(long fileIndex, long eventPosition, long rowIndex) {
        if (fileIndex < 0 || fileIndex >= (1L << 31)) {
            throw new IllegalArgumentException("binlog file index out of range [0, 2^31): " + fileIndex);
        }
        if (eventPosition < 0 || eventPosition >= TWO_32) {
            throw new IllegalArgumentException("binlog position out of range [0, 2^32): " + eventPosition);
        }
        if (rowIndex < 0 || eventPosition + rowIndex >= TWO_32) {
            throw new IllegalArgumentException("row index " + rowIndex + " out of range for the event at "
                    + eventPosition);
        }
        return fileIndex * TWO_32 + eventPosition + rowIndex;
    }

    /** {@link #of(long, long, long)} with the file index read from a binlog file name such as {@code mysql-bin.000042}. */
    public static long of(String binlogFile, long eventPosition, long rowIndex) {
        return of(fileIndex(binlogFile), eventPosition, rowIndex);
    }

    /** The number at the end of a binlog file name: {@code mysql-bin.000042} -> 42. */
    public static long fileIndex(String binlogFile) {
        Matcher m = FILE_NUMBER.matcher(binlogFile == null ? "" : binlogFile);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a binlog file name with a number: '" + binlogFile + "'");
        }
        return Long.parseLong(m.group(1));
    }
}
