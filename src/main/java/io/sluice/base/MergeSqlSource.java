package io.sluice.base;

/** A sink that can print the SQL rebuilding a table's full content at a time (MaxCompute's _base + _log merge). */
public interface MergeSqlSource {

    /**
     * The SQL filling {@code resultTable} (a default name when null) with {@code table}, as link {@code link} wrote it,
     * as it was at {@code time}.
     */
    String mergeSql(String link, String table, String resultTable, long epochSeconds);
}
