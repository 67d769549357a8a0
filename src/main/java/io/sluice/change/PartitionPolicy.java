package io.sluice.change;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * DTS's "Policy for Shipping Data to Kafka Partitions". Hashes are Java {@link String#hashCode()} taken modulo the
 * partition count ({@code abs(hash % partitions)}), so a topic's partition count must not change while a link runs.
 */
public enum PartitionPolicy {

    /** Everything, data and DDL, to partition 0: one total order. */
    ALL_TO_ZERO,

    /**
     * By {@code (database + table).hashCode()}: a table's rows and DDL share a partition (so stay in order);
     * database-level DDL goes to partition 0.
     */
    BY_TABLE,

    /**
     * By the hash of the key values: the concatenated text of the key columns' values (the text Canal JSON writes,
     * TIMESTAMP in UTC, NULL as {@code null}), key taken from the after image, the before image for DELETE. The key is
     * the primary key (or the unique key Debezium keys the table by) unless the link chose partition-key columns.
     * DDL goes to partition 0. A table without a key (the source's {@code tablesWithoutKey=sync}) and no chosen
     * columns goes to its table's partition, as {@link #BY_TABLE} ships it: hashing an empty key would put every
     * keyless table into one partition, and hashing the whole row would scatter a row's insert, update and delete
     * over partitions, out of order.
     */
    BY_PRIMARY_KEY;

    /** The partition for {@code event} among {@code partitions}, keyed by the table's own key. */
    public int partition(ChangeEvent event, int partitions) {
        return partition(event, partitions, event.keyNames());
    }

    /** The same with chosen partition-key columns ({@code keyColumns}; used by {@link #BY_PRIMARY_KEY} only). */
    public int partition(ChangeEvent event, int partitions, List<String> keyColumns) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        return switch (this) {
            case ALL_TO_ZERO -> 0;
            case BY_TABLE -> event.table().isEmpty() ? 0 : bucket((event.database() + event.table()).hashCode(), partitions);
            case BY_PRIMARY_KEY -> event.isDdl() ? 0 : keyColumns.isEmpty() ? BY_TABLE.partition(event, partitions)
                    : bucket(keyText(event, keyColumns).hashCode(), partitions);
        };
    }

    private static String keyText(ChangeEvent event, List<String> keyColumns) {
        Map<String, Object> row = event.row();
        StringBuilder sb = new StringBuilder();
        for (String name : keyColumns) {
            ChangeColumn column = null;
            for (ChangeColumn c : event.columns()) {
                if (c.name().equals(name)) {
                    column = c;
                    break;
                }
            }
            if (column == null) {
                throw new IllegalArgumentException("partition key column " + name + " is not in "
                        + event.database() + "." + event.table());
            }
            sb.append(CanalValueText.of(row.get(name), column.type(), ZoneOffset.UTC));
        }
        return sb.toString();
    }

    private static int bucket(int hash, int partitions) {
        return Math.abs(hash % partitions);
    }
}
