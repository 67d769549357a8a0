package io.sluice.record;

import java.sql.Types;

/** Test shorthand for columns; jdbcType is irrelevant to the rules except where a test sets it. */
final class Cols {
    private Cols() {
    }

    static Column col(String name, String type) {
        return col(name, type, 0, 0);
    }

    static Column col(String name, String type, int size) {
        return col(name, type, size, 0);
    }

    static Column col(String name, String type, int size, int scale) {
        return new Column(name, Types.OTHER, type, size, scale, true, false, false, false);
    }

    static Column notNull(String name, String type, int size) {
        return new Column(name, Types.OTHER, type, size, 0, false, false, false, false);
    }

    static Column notNullWithDefault(String name, String type) {
        return new Column(name, Types.OTHER, type, 0, 0, false, true, false, false);
    }

    static Column autoIncrement(String name, String type) {
        return new Column(name, Types.OTHER, type, 0, 0, false, false, true, false);
    }
}
