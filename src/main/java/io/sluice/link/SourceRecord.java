package io.sluice.link;

/**
 * One record as a source delivers it: the raw message, where it came from (e.g. "partition 2, offset 41"), and its
 * source time (epoch ms). Sources hand a sink a {@code List<SourceRecord>} per exchange.
 */
public record SourceRecord(byte[] value, String position, long sourceTime) {
}
