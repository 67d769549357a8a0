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
}
