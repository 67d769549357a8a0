package io.sluice.change;

/**
 * One column of a change event's table.
 *
 * @param name       column name
 * @param type       the declared MySQL type ({@code decimal(65,30)}, {@code bigint(20) unsigned}, {@code enum('a','b')})
 * @param primaryKey part of the key the event is keyed by (primary key, or the unique key Debezium chose)
 * @param optional   the column accepts NULL
 */
public record ChangeColumn(String name, MySqlType type, boolean primaryKey, boolean optional) {

    /** The declared type as text, the way {@code DESC table} shows it. */
    public String mysqlType() {
        return type.text();
    }

    /** The {@link java.sql.Types} code a MySQL JDBC driver reports for the column. */
    public int jdbcType() {
        return type.jdbcType();
    }
}
