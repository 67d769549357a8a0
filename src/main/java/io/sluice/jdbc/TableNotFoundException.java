package io.sluice.jdbc;

import java.sql.SQLException;

/** The destination table does not exist. Sluice never creates destination tables. */
public class TableNotFoundException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String table;

    public TableNotFoundException(String database, String table) {
        super("table " + database + "." + table + " does not exist in the destination database: "
                + "create it first (Sluice does not create APS destination tables)", "42S02", 1146);
        this.database = database;
        this.table = table;
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }
}
