package io.sluice.change;

/**
 * A value remembered for one table: the one-entry cache in front of a per-table map on the way of every change.
 * Consecutive changes are mostly of one table, and Debezium gives their names as new strings for each change, so a
 * map lookup hashed them every time (~7% of the delivery thread for the sink's routes, BENCHMARKS.md "Session 8");
 * {@link #isFor} compares them without hashing.
 */
public record TableMemo<V>(String database, String table, V value) {

    public boolean isFor(String database, String table) {
        return this.table.equals(table) && this.database.equals(database);
    }
}
