package io.sluice.maxcompute;

import io.sluice.change.MySqlType;

/**
 * A source (MySQL) column as schema sync sees it: its name and its MySQL type ({@code decimal(65,30)},
 * {@code bigint(20) unsigned}, {@code datetime(6)}, {@code varchar(20)}, {@code enum('a','b')}...).
 */
public record SourceColumn(String name, MySqlType type) {

    public SourceColumn {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a source column needs a name");
        }
        if (type == null) {
            throw new IllegalArgumentException("source column " + name + " needs a MySQL type");
        }
    }

    /** A column of the type {@code mysqlType} as MySQL writes it (tests, and type text from outside a change event). */
    public SourceColumn(String name, String mysqlType) {
        this(name, MySqlType.parse(mysqlType));
    }

    /** The type as {@code DESC table} shows it, for messages. */
    public String mysqlType() {
        return type.text();
    }
}
