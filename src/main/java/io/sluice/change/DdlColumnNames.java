package io.sluice.change;

/**
 * How the column names written in a DDL event's SQL text (the source's names: the text is kept as it was) are named
 * in the destination, for a sink that builds its schema from DDL. The source hands it with each batch as the exchange
 * property {@link #PROPERTY}; without it names stay as written.
 */
public interface DdlColumnNames {

    /** Exchange property holding the batch's {@code DdlColumnNames}. */
    String PROPERTY = "sluice.ddlColumnNames";

    /** Names as written. */
    DdlColumnNames AS_WRITTEN = (database, table, column) -> column;

    /**
     * The destination name of {@code column}, as a DDL statement of the event for {@code database}.{@code table}
     * (the event's names, already the destination's) writes it.
     */
    String ddlColumn(String database, String table, String column);
}
