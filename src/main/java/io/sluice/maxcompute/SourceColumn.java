package io.sluice.maxcompute;

/**
 * A source (MySQL) column as schema sync sees it: its name and its MySQL type text exactly as
 * {@code information_schema.COLUMNS.COLUMN_TYPE} or a DDL statement writes it ({@code decimal(65,30)},
 * {@code bigint(20) unsigned}, {@code datetime(6)}, {@code varchar(20)}, {@code enum('a','b')}...).
 */
public record SourceColumn(String name, String mysqlType) {

    public SourceColumn {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a source column needs a name");
        }
        if (mysqlType == null || mysqlType.isBlank()) {
            throw new IllegalArgumentException("source column " + name + " needs a MySQL type");
        }
    }
}
