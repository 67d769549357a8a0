package io.sluice.jdbc;

import io.sluice.record.Column;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A destination table as read from information_schema.
 *
 * @param database   schema (database) name
 * @param table      table name
 * @param columns    all columns in ordinal order
 * @param primaryKey primary key column names in key order; empty if the table has no primary key
 */
public record TableSchema(String database, String table, List<Column> columns, List<String> primaryKey) {

    public TableSchema {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** "db.table", for messages. */
    public String qualifiedName() {
        return database + "." + table;
    }

    /** Column by name; MySQL column names are case-insensitive. */
    public Optional<Column> column(String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether the named column is part of the primary key (case-insensitive). */
    public boolean isPrimaryKeyColumn(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String k : primaryKey) {
            if (k.toLowerCase(Locale.ROOT).equals(n)) {
                return true;
            }
        }
        return false;
    }
}
