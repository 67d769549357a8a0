package io.sluice.change;

/**
 * Turns a change event into a Kafka record value: the link's "Data Format in Kafka" ({@link CanalJsonEncoder} or
 * {@link DtsAvroEncoder}), chosen once when the link starts.
 */
public interface ChangeEncoder {

    /**
     * @param id the link's sequence for this message: canal's batch {@code id} (shared by one batch), DTS's record
     *           {@code id} (unique and rising)
     */
    byte[] encode(ChangeEvent event, long id);

    /**
     * Whether one message may carry several row changes of one binlog rows event ({@link #encodeRows}): Canal JSON,
     * whose {@code data} lists them as canal does; DTS Avro writes a record per row.
     */
    default boolean groupsRows() {
        return false;
    }

    /** One message for {@code rows}: row changes of one binlog rows event, in order (one, unless {@link #groupsRows()}). */
    default byte[] encodeRows(java.util.List<ChangeEvent> rows, long id) {
        if (rows.size() != 1) {
            throw new IllegalArgumentException("this format writes one row change per message");
        }
        return encode(rows.get(0), id);
    }
}
