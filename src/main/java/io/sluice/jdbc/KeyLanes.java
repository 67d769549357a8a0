package io.sluice.jdbc;

import io.sluice.record.Column;
import io.sluice.record.Converted;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the {@link TransactionPipeline} lane of a row from its primary key, so every row of one key goes to the
 * same connection and the key's changes are applied in source order. Rows without a complete key (a key column not
 * mapped, e.g. auto-increment, or NULL) go to lane 0: they cannot update each other.
 *
 * <p>Keys that MySQL's default collations treat as equal must land on the same lane: text is hashed lower-cased
 * and without trailing spaces (case-insensitive, PAD SPACE collations), decimals without trailing zeros.
 */
public final class KeyLanes {

    private final List<String> primaryKey;
    private final int lanes;
    /** The key's positions in the last column list seen (rows of one batch almost always share one list). */
    private List<Column> lastColumns;
    private int[] lastKeyIndexes;

    /** {@code lanes} > 1 only spreads rows when {@code primaryKey} is not empty. */
    public KeyLanes(List<String> primaryKey, int lanes) {
        this.primaryKey = List.copyOf(primaryKey);
        this.lanes = primaryKey.isEmpty() ? 1 : Math.max(1, lanes);
    }

    /** How many lanes rows are spread over: 1 when the table has no primary key or parallel writes are off. */
    public int lanes() {
        return lanes;
    }

    /** The lane of {@code row}: 0 .. lanes()-1. */
    public synchronized int of(Converted row) {
        if (lanes == 1) {
            return 0;
        }
        int[] keyIndexes = keyIndexes(row.columns());
        if (keyIndexes == null) {
            return 0;
        }
        int h = 1;
        for (int i : keyIndexes) {
            Object v = row.values()[i];
            if (v == null) {
                return 0;
            }
            h = 31 * h + hash(v);
        }
        h ^= h >>> 16;
        return Math.floorMod(h, lanes);
    }

    private int[] keyIndexes(List<Column> columns) {
        if (columns == lastColumns) {
            return lastKeyIndexes;
        }
        int[] idx = new int[primaryKey.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(primaryKey.get(k))) {
                    idx[k] = i;
                    break;
                }
            }
            if (idx[k] < 0) {
                idx = null;
                break;
            }
        }
        lastColumns = columns;
        lastKeyIndexes = idx;
        return idx;
    }

    private static int hash(Object v) {
        if (v instanceof CharSequence cs) {
            String s = cs.toString();
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == ' ') {
                end--;
            }
            return s.substring(0, end).toLowerCase(Locale.ROOT).hashCode();
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return Long.hashCode(n.longValue()); // Integer 7 and Long 7 are the same key
        }
        return v.hashCode();
    }
}
