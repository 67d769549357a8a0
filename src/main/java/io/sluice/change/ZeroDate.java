package io.sluice.change;

/**
 * MySQL's zero date ({@code 0000-00-00}, {@code 0000-00-00 00:00:00}) as a column value: no Java date can hold it,
 * and writing NULL or 1970-01-01 instead would change the data (pitfall 14).
 */
public enum ZeroDate {
    VALUE
}
