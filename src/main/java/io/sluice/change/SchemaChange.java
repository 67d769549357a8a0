package io.sluice.change;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a DDL statement does to its table's columns, read once where the source reads the statement (the binlog
 * source), so that a sink that follows the schema (MaxCompute) reads no SQL: the columns and key of a
 * {@code CREATE TABLE}, or the column clauses of an {@code ALTER TABLE} with the clauses not understood. Its names are
 * the destination's once {@link ObjectNames} renamed the event; the statement's own text stays on the event as it was
 * (Canal JSON and DTS Avro carry it as text).
 *
 * @param kind       CREATE_TABLE or ALTER_TABLE
 * @param columns    a created table's columns in order; empty for ALTER_TABLE
 * @param primaryKey a created table's primary key columns; empty for ALTER_TABLE and tables without one
 * @param changes    an ALTER TABLE's column clauses in order; empty for CREATE_TABLE
 * @param skipped    the text of an ALTER TABLE's other clauses (indexes, options, ...), not applied to columns
 */
public record SchemaChange(Kind kind, List<Column> columns, List<String> primaryKey, List<ColumnChange> changes,
                           List<String> skipped) {

    public enum Kind { CREATE_TABLE, ALTER_TABLE }

    /** What a column clause of an ALTER TABLE does. */
    public enum Action { ADD, RENAME, CHANGE, MODIFY, DROP }

    /** A column of a created table. */
    public record Column(String name, MySqlType type) {
    }

    /**
     * One column clause: {@code name} the column it applies to (before the clause), {@code newName} and {@code type}
     * the column after it (newName null for DROP, type null for RENAME and DROP), {@code clause} its text.
     */
    public record ColumnChange(Action action, String name, String newName, MySqlType type, String clause) {
    }

    public SchemaChange {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        changes = List.copyOf(changes);
        skipped = List.copyOf(skipped);
    }

    public static SchemaChange createTable(List<Column> columns, List<String> primaryKey) {
        return new SchemaChange(Kind.CREATE_TABLE, columns, primaryKey, List.of(), List.of());
    }

    public static SchemaChange alterTable(List<ColumnChange> changes, List<String> skipped) {
        return new SchemaChange(Kind.ALTER_TABLE, List.of(), List.of(), changes, skipped);
    }

    public boolean isCreateTable() {
        return kind == Kind.CREATE_TABLE;
    }

    /** The same change with each column name given by {@code name} (the source's name to the destination's). */
    public SchemaChange renamed(UnaryOperator<String> name) {
        UnaryOperator<String> n = s -> s == null ? null : name.apply(s);
        return new SchemaChange(kind, columns.stream().map(c -> new Column(n.apply(c.name()), c.type())).toList(),
                primaryKey.stream().map(n).toList(), changes.stream().map(c -> new ColumnChange(c.action(),
                n.apply(c.name()), n.apply(c.newName()), c.type(), c.clause())).toList(), skipped);
    }
}
