package io.sluice.change;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * DTS's object name mapping and name capitalization, applied to each change event before it reaches the sink: the
 * database, table and column names of the event (its columns, so its key, and its row images) become the destination
 * names; a DDL event keeps its SQL text (the source's names), its database and table fields and the column names of
 * its {@link SchemaChange} are renamed.
 *
 * <p>Renames are {@code <source>=<destination>} entries separated by {@code ,} or {@code ;}: databases
 * {@code src=dst}, tables {@code db.t=newname}, columns {@code db.t.col=newcol}, source names matched
 * case-insensitively (as MySQL does for columns and the link's selection does for tables). The capitalization
 * {@code nameCase} then applies to every destination name, renamed or not (under {@code source} a new name stays as
 * written).
 */
public final class ObjectNames {

    private final Map<String, String> databases;
    private final Map<String, String> tables;
    private final Map<String, String> columns;
    private final ObjectNameCase nameCase;
    /** Per source table ({@code db + '\0' + table}): its names in the destination. */
    private final Map<String, TableNames> cache = new ConcurrentHashMap<>();

    private ObjectNames(Map<String, String> databases, Map<String, String> tables, Map<String, String> columns,
                        ObjectNameCase nameCase) {
        this.databases = databases;
        this.tables = tables;
        this.columns = columns;
        this.nameCase = nameCase;
    }

    /** Parses the options; throws IllegalArgumentException naming the option and entry that is wrong. */
    public static ObjectNames parse(String renameDatabases, String renameTables, String renameColumns, String nameCase) {
        return new ObjectNames(renames("renameDatabases", renameDatabases, 1, "demo=demo_copy"),
                renames("renameTables", renameTables, 2, "demo.orders=orders_copy"),
                renames("renameColumns", renameColumns, 3, "demo.orders.amount=total"),
                ObjectNameCase.parse(nameCase == null ? "dts-default" : nameCase));
    }

    private static Map<String, String> renames(String option, String list, int parts, String example) {
        Map<String, String> out = new HashMap<>();
        if (list == null) {
            return out;
        }
        for (String entry : list.split("[,;]")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String from = eq < 0 ? "" : entry.substring(0, eq).strip();
            String to = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (from.split("\\.", -1).length != parts || from.contains("..") || from.startsWith(".") || from.endsWith(".")
                    || to.isEmpty() || to.contains(".") || to.contains("`")) {
                throw new IllegalArgumentException(option + " entry '" + entry.strip() + "' is not "
                        + example.replaceAll("[a-z_]+", "<name>") + " (e.g. " + example + "); the new name is a plain name");
            }
            if (out.put(from.toLowerCase(Locale.ROOT), to) != null) {
                throw new IllegalArgumentException(option + " renames " + from + " twice");
            }
        }
        return out;
    }

    /** These names with {@code dts-default} replaced by the destination's default ({@code sinkDefault}). */
    public ObjectNames withDefault(ObjectNameCase sinkDefault) {
        if (nameCase != ObjectNameCase.DTS_DEFAULT) {
            return this;
        }
        return new ObjectNames(databases, tables, columns, sinkDefault == null ? ObjectNameCase.SOURCE : sinkDefault);
    }

    public ObjectNameCase nameCase() {
        return nameCase;
    }

    /** Nothing is renamed and names keep their case: events pass unchanged. */
    public boolean isIdentity() {
        return databases.isEmpty() && tables.isEmpty() && columns.isEmpty()
                && (nameCase == ObjectNameCase.SOURCE || nameCase == ObjectNameCase.DTS_DEFAULT);
    }

    public String database(String database) {
        return renamed(databases, database.toLowerCase(Locale.ROOT), database);
    }

    public String table(String database, String table) {
        return renamed(tables, (database + "." + table).toLowerCase(Locale.ROOT), table);
    }

    public String column(String database, String table, String column) {
        return renamed(columns, (database + "." + table + "." + column).toLowerCase(Locale.ROOT), column);
    }

    private String renamed(Map<String, String> renames, String key, String name) {
        String to = renames.get(key);
        return nameCase.apply(to != null ? to : name);
    }

    /** {@code event} with destination names (the same instance when nothing changes). */
    public ChangeEvent apply(ChangeEvent event) {
        if (isIdentity()) {
            return event;
        }
        if (event.isDdl()) {
            // a statement on several tables names them comma-separated
            List<String> renamed = new ArrayList<>();
            for (String t : event.table().split(",", -1)) {
                renamed.add(t.isBlank() ? t : table(event.database(), t.strip()));
            }
            return new ChangeEvent(database(event.database()), String.join(",", renamed), event.operation(),
                    event.columns(), event.before(), event.after(), event.ddl(), event.position(),
                    schemaChange(event));
        }
        TableNames names = cache.computeIfAbsent(event.database() + '\0' + event.table(),
                k -> new TableNames(database(event.database()), table(event.database(), event.table()),
                        new ConcurrentHashMap<>(), new AtomicReference<>()));
        Function<String, String> column = c -> names.columns.computeIfAbsent(c,
                x -> column(event.database(), event.table(), x));
        List<ChangeColumn> cols = renamedColumns(names, event.columns(), column);
        return new ChangeEvent(names.database, names.table, event.operation(), cols, row(event.before(), event.columns(), cols, column),
                row(event.after(), event.columns(), cols, column), event.ddl(), event.position());
    }

    /**
     * The renamed column list, the same instance for every change of one source column list (Debezium's list per
     * table shape): encoders keep per-list work (escaped names) by instance.
     */
    private static List<ChangeColumn> renamedColumns(TableNames names, List<ChangeColumn> source,
                                                     Function<String, String> column) {
        ColumnRename last = names.lastColumns.get();
        if (last != null && last.source() == source) {
            return last.renamed();
        }
        List<ChangeColumn> cols = new ArrayList<>(source.size());
        for (ChangeColumn c : source) {
            cols.add(new ChangeColumn(column.apply(c.name()), c.type(), c.primaryKey(), c.optional()));
        }
        List<ChangeColumn> renamed = List.copyOf(cols);
        names.lastColumns.set(new ColumnRename(source, renamed));
        return renamed;
    }

    /**
     * The schema change of a DDL event under the destination's column names. Its columns are of the event's table; a
     * statement on several tables (no CREATE or ALTER TABLE) only has its names' case changed.
     */
    private SchemaChange schemaChange(ChangeEvent ddl) {
        SchemaChange change = ddl.schemaChange();
        if (change == null) {
            return null;
        }
        String table = ddl.table().strip();
        return change.renamed(table.contains(",") ? nameCase::apply : c -> column(ddl.database(), table, c));
    }

    private static Map<String, Object> row(Map<String, Object> row, List<ChangeColumn> source,
                                           List<ChangeColumn> renamed, Function<String, String> column) {
        if (row == null) {
            return null;
        }
        if (row instanceof RowImage image && image.columns() == source) {
            return image.withColumns(renamed); // the same values under the new names
        }
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, row.size() * 2));
        row.forEach((k, v) -> out.put(column.apply(k), v));
        return out;
    }

    private record TableNames(String database, String table, Map<String, String> columns,
                              AtomicReference<ColumnRename> lastColumns) {
    }

    private record ColumnRename(List<ChangeColumn> source, List<ChangeColumn> renamed) {
    }
}
