package io.sluice.maxcompute;

import java.time.Instant;

/**
 * One source row change for a {@code _log} table: the operation, its {@code record_id} (see {@link RecordIds}), the
 * change time (the binlog event's timestamp) and the row images as values in the source column order
 * (null for an absent image: no {@code before} for INSERT, no {@code after} for DELETE).
 */
public record ChangeRow(Operation operation, long recordId, Instant time, Object[] before, Object[] after) {

    public enum Operation {
        INSERT("I"), UPDATE("U"), DELETE("D");

        private final String flag;

        Operation(String flag) {
            this.flag = flag;
        }

        /** The {@code operation_flag} value. */
        public String flag() {
            return flag;
        }
    }

    public ChangeRow {
        if (operation == null || time == null) {
            throw new IllegalArgumentException("a change needs an operation and a time");
        }
        if ((operation != Operation.INSERT && before == null) || (operation != Operation.DELETE && after == null)) {
            throw new IllegalArgumentException(operation + " needs " + (before == null ? "a before" : "an after")
                    + " image (record_id " + recordId + ")");
        }
    }

    public static ChangeRow insert(long recordId, Instant time, Object[] after) {
        return new ChangeRow(Operation.INSERT, recordId, time, null, after);
    }

    public static ChangeRow update(long recordId, Instant time, Object[] before, Object[] after) {
        return new ChangeRow(Operation.UPDATE, recordId, time, before, after);
    }

    public static ChangeRow delete(long recordId, Instant time, Object[] before) {
        return new ChangeRow(Operation.DELETE, recordId, time, before, null);
    }
}
