package io.sluice.binlog;

import io.sluice.change.ChangeEvent;
import io.sluice.change.Operation;
import io.sluice.change.TableMemo;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which changes a link synchronises (DTS's "Selected Objects" and per-object SQL operations): databases and tables
 * as comma-separated lists of names or regular expressions (Debezium's include lists, matched whole and
 * case-insensitively; a table is {@code database.table}), the operations synchronised by default, and per-table
 * operations. Snapshot rows are always kept (they are the full load, not operations).
 *
 * <p>DDL is kept when its table is selected, or, for a database-level statement, when its database is; the
 * snapshot's schema replay is reduced to its CREATE statements (its SET, USE and DROP TABLE IF EXISTS are how
 * Debezium rebuilds its schema history, not changes of the source).
 */
final class Selection {

    private final List<Pattern> databases;
    private final List<Pattern> tables;
    private final Set<Operation> operations;
    private final Map<String, Set<Operation>> tableOperations;

    Selection(String databases, String tables, String operations, String tableOperations) {
        this.databases = patterns(databases);
        this.tables = patterns(tables);
        this.operations = operations(operations, "operations");
        this.tableOperations = new HashMap<>();
        if (tableOperations != null && !tableOperations.isBlank()) {
            for (String entry : tableOperations.split(";")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("tableOperations entry '" + entry.strip()
                            + "' is not <database>.<table>=<operations>, e.g. demo.orders=insert,update");
                }
                this.tableOperations.put(entry.substring(0, eq).strip().toLowerCase(Locale.ROOT),
                        operations(entry.substring(eq + 1), "tableOperations"));
            }
        }
    }

    private static List<Pattern> patterns(String list) {
        List<Pattern> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(Pattern.compile(s.strip(), Pattern.CASE_INSENSITIVE));
                }
            }
        }
        return out;
    }

    private static Set<Operation> operations(String list, String option) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(Operation.class);
        }
        Set<Operation> out = EnumSet.noneOf(Operation.class);
        for (String s : list.split(",")) {
            try {
                out.add(Operation.valueOf(s.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": unknown operation '" + s.strip()
                        + "'; use insert, update, delete, ddl");
            }
        }
        return out;
    }

    /**
     * What a new include list ({@code databases} or {@code tables}) selects beyond the old one: its entries the old list
     * lacks (compared as written, case-insensitively: a changed expression counts as a new one, since whether it selects
     * more depends on the tables the server has), or "every one" when the new list is empty and the old one was not.
     * Empty when the new list selects no more than the old.
     */
    static List<String> added(String oldList, String newList) {
        List<String> before = entries(oldList);
        List<String> after = entries(newList);
        if (after.isEmpty()) {
            return before.isEmpty() ? List.of() : List.of("every one (the list is now empty)");
        }
        if (before.isEmpty()) {
            return List.of();
        }
        return after.stream().filter(e -> before.stream().noneMatch(e::equalsIgnoreCase)).toList();
    }

    private static List<String> entries(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    boolean databaseSelected(String database) {
        return databases.isEmpty() ? tables.isEmpty() || tables.stream().anyMatch(p -> prefixOf(p, database))
                : databases.stream().anyMatch(p -> p.matcher(database).matches());
    }

    /** A table-include pattern that could match tables of {@code database} (its literal part before the dot). */
    private static boolean prefixOf(Pattern tablePattern, String database) {
        String p = tablePattern.pattern();
        int dot = p.indexOf("\\.") >= 0 ? p.indexOf("\\.") : p.indexOf('.');
        return dot < 0 || Pattern.compile(p.substring(0, dot), Pattern.CASE_INSENSITIVE).matcher(database).matches();
    }

    boolean tableSelected(String database, String table) {
        if (!databases.isEmpty() && databases.stream().noneMatch(p -> p.matcher(database).matches())) {
            return false;
        }
        String name = database + "." + table;
        return tables.isEmpty() || tables.stream().anyMatch(p -> p.matcher(name).matches());
    }

    /** Whether {@code event} goes to the sink. */
    boolean keep(ChangeEvent event) {
        if (event.isDdl()) {
            return keepDdl(event);
        }
        Set<Operation> ops = rowOperations(event.database(), event.table());
        if (ops == null) {
            return false;
        }
        return event.position().snapshot() || ops.contains(event.operation());
    }

    /** No set: the table is not selected. */
    private static final Set<Operation> UNSELECTED = EnumSet.noneOf(Operation.class);
    /** Per database and table, the operations kept (or {@link #UNSELECTED}): matched once, not per change. */
    private final Map<String, Map<String, Set<Operation>>> rowDecisions = new ConcurrentHashMap<>();

    /** The decision for the table of the change before. */
    private volatile TableMemo<Set<Operation>> last;

    /** The operations synchronised for the rows of a table, or null when the table is not selected. */
    private Set<Operation> rowOperations(String database, String table) {
        TableMemo<Set<Operation>> l = last;
        if (l == null || !l.isFor(database, table)) {
            l = new TableMemo<>(database, table, decide(database, table));
            last = l;
        }
        return l.value() == UNSELECTED ? null : l.value();
    }

    /** The operations kept for a table's rows, {@link #UNSELECTED} when the table is not selected. */
    private Set<Operation> decide(String database, String table) {
        Map<String, Set<Operation>> ofDatabase = rowDecisions.computeIfAbsent(database, d -> new ConcurrentHashMap<>());
        Set<Operation> ops = ofDatabase.get(table);
        if (ops == null) {
            ops = tableSelected(database, table) ? operationsOf(database, table) : UNSELECTED;
            if (ofDatabase.size() < 100_000) {
                ofDatabase.put(table, ops);
            }
        }
        return ops;
    }

    private boolean keepDdl(ChangeEvent event) {
        String sql = event.ddl().stripLeading().toUpperCase(Locale.ROOT);
        if (sql.startsWith("SET ") || sql.startsWith("USE ")) {
            return false;
        }
        if (event.position().snapshot() && !sql.startsWith("CREATE ")) {
            return false;
        }
        if (event.table().isEmpty()) {
            return !event.database().isEmpty() && databaseSelected(event.database())
                    && (event.position().snapshot() || operations.contains(Operation.DDL));
        }
        // a statement on several tables names them comma-separated: kept when any is selected
        for (String t : event.table().split(",")) {
            if (tableSelected(event.database(), t.strip())) {
                return event.position().snapshot() || operationsOf(event.database(), t.strip()).contains(Operation.DDL);
            }
        }
        return false;
    }

    private Set<Operation> operationsOf(String database, String table) {
        return tableOperations.getOrDefault((database + "." + table).toLowerCase(Locale.ROOT), operations);
    }
}
