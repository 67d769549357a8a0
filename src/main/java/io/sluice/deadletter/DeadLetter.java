package io.sluice.deadletter;

/**
 * One dirty record on its way to a dead-letter channel: the link, where the record came from, the field at fault
 * (null when the whole record is bad, e.g. not JSON), why, and the raw record as the source delivered it.
 */
public record DeadLetter(String link, String position, String field, String reason, byte[] raw) {
}
