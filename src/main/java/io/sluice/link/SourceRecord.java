package io.sluice.link;

import java.util.Map;

/**
 * One record as a source delivers it: the raw message, where it came from (e.g. "partition 2, offset 41"), and its
 * source time (epoch ms). Sources hand a sink a {@code List<SourceRecord>} per exchange.
 *
 * @param fields the message's top-level fields when the source has them already (SLS logs are flat key/value
 *               lists): exactly what parsing {@code value} as a JSON object gives, so a sink need not parse it again;
 *               null when the sink must parse {@code value}
 */
public record SourceRecord(byte[] value, String position, long sourceTime, Map<String, Object> fields) {

    /** A record whose fields are read from its value. */
    public SourceRecord(byte[] value, String position, long sourceTime) {
        this(value, position, sourceTime, null);
    }
}
