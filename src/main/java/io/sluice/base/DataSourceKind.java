package io.sluice.base;

import java.util.List;
import java.util.Map;

/**
 * One kind of data source (MySQL sources, JDBC destinations, Kafka clusters, SLS projects, MaxCompute projects), as
 * the management API lists and tests them: implemented by the component that declares and uses them, so the API
 * connects with the component's own code. Nothing here carries a secret: no password, key or token, not even masked.
 */
public interface DataSourceKind {

    /** A declared data source: where it is and as whom Sluice connects, and settings worth showing. */
    record Described(String name, String kind, String endpoint, String account, Map<String, Object> details) {
    }

    /** The outcome of a connection test: a message naming the fix when it failed, and how long it took. */
    record TestResult(boolean ok, String message, long millis) {
    }

    /** {@code mysql}, {@code jdbc}, {@code kafka}, {@code sls} or {@code maxcompute}. */
    String kind();

    /** Every declared data source of this kind, by name. */
    List<Described> list();

    /**
     * Connects to data source {@code name} as a link would (and lets go again).
     *
     * @throws IllegalArgumentException naming the declared ones when there is none of that name
     */
    TestResult test(String name);

    /**
     * The refusal of a name that is not declared: {@code what} is e.g. "MySQL", {@code settings} the properties that
     * declare one ("sluice.mysql.<name>.host, .username and .password"), {@code declared} the names there are.
     */
    static IllegalArgumentException notDeclared(String what, String name, String settings,
                                                java.util.Collection<String> declared) {
        return new IllegalArgumentException("no " + what + " data source named '" + name + "': declare " + settings
                + " (declared: " + new java.util.TreeSet<>(declared) + ")");
    }

    /** The databases and tables of a source, for picking a link's objects (MySQL sources). */
    interface Objects {

        record Table(String name, boolean hasPrimaryKey, long rows) {
        }

        record Database(String database, List<Table> tables) {
        }

        /** The user databases (the server's own left out) and their base tables, sorted by name. */
        List<Database> objects(String name);
    }

    /** The columns of a destination table, for a link's field mapping (JDBC destinations). */
    interface Columns {

        record Column(String name, String type) {
        }

        /** The columns of {@code table} ({@code db.table} or a table of the connection's database), in order. */
        List<Column> columns(String name, String table);
    }
}
