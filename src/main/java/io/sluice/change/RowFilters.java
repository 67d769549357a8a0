package io.sluice.change;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * A link's row filter conditions (DTS's "Filter Conditions"), one SQL WHERE condition per table, written as
 * {@code <database>.<table>=<condition>} entries separated by {@code ;} (a {@code ;} inside a quoted string or
 * identifier belongs to the condition), e.g. {@code demo.orders=amount > 100 AND status <> 'x;y';demo.users=id < 1000}.
 *
 * <p>The full load is filtered by the database ({@link #snapshotProperties}: Debezium's
 * {@code snapshot.select.statement.overrides}); binlog changes by {@link RowCondition} over the row images: an INSERT
 * by its after image, a DELETE by its before image, an UPDATE when its before <em>or</em> its after image matches (a
 * row leaving the filter is still seen by the destination, as its last state inside the filter is replaced).
 *
 * <p>A condition that does not parse or uses what {@link RowCondition} does not support is kept as a problem, not
 * thrown, so that the link fails at its start (its precheck) naming the table, the condition and the fix.
 */
public final class RowFilters {

    /** Debezium's property naming the tables whose full load is read with a statement of our own. */
    static final String OVERRIDES = "snapshot.select.statement.overrides";

    /**
     * One table's filter.
     *
     * @param database  source database, as written
     * @param table     source table, as written
     * @param condition the condition as written
     * @param parsed    the parsed condition; null when it could not be parsed or is not supported
     * @param problem   why it could not; null when parsed
     */
    public record Entry(String database, String table, String condition, RowCondition parsed, String problem) {

        public String name() {
            return database + "." + table;
        }
    }

    private final Map<String, Entry> byTable;

    private RowFilters(Map<String, Entry> byTable) {
        this.byTable = byTable;
    }

    /** Parses the option; throws IllegalArgumentException for an entry that is not {@code <database>.<table>=...}. */
    public static RowFilters parse(String option) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (String entry : splitOutsideQuotes(option == null ? "" : option, ';')) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).strip();
            int dot = name.indexOf('.');
            if (dot < 1 || dot == name.length() - 1) {
                throw new IllegalArgumentException("filters entry '" + entry.strip() + "' is not <database>.<table>=<condition>, "
                        + "e.g. filters=demo.orders=amount > 100;demo.users=id < 1000");
            }
            String database = name.substring(0, dot);
            String table = name.substring(dot + 1);
            String condition = entry.substring(eq + 1).strip();
            RowCondition parsed = null;
            String problem = null;
            try {
                parsed = RowCondition.parse(table, condition);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (out.put(name.toLowerCase(Locale.ROOT), new Entry(database, table, condition, parsed, problem)) != null) {
                throw new IllegalArgumentException("filters names " + name + " twice: join its conditions with AND");
            }
        }
        return new RowFilters(out);
    }

    /** {@code text} split at {@code separator} where it is outside '...', "..." and `...` (backslash escapes in strings). */
    static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`' && i + 1 < text.length()) {
                    current.append(ch).append(text.charAt(++i));
                    continue;
                }
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == separator) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(ch);
        }
        parts.add(current.toString());
        return parts;
    }

    public boolean isEmpty() {
        return byTable.isEmpty();
    }

    public Collection<Entry> entries() {
        return byTable.values();
    }

    /**
     * What keeps the filters from running, one message per table naming it and its condition: a condition that did
     * not parse or is not supported, a table {@code columnsOf} does not know (it returns the lower-case column names
     * of a selected source table, null for a table that does not exist or is not selected), an unknown column.
     */
    public List<String> problems(Function<Entry, Set<String>> columnsOf) {
        List<String> out = new ArrayList<>();
        for (Entry e : byTable.values()) {
            String where = e.name() + " (condition: " + e.condition() + "): ";
            if (e.problem() != null) {
                out.add(where + e.problem());
                continue;
            }
            Set<String> columns = columnsOf.apply(e);
            if (columns == null) {
                out.add(where + "the table does not exist on the source or is not among the link's tables");
                continue;
            }
            List<String> unknown = e.parsed().columns().stream().filter(c -> !columns.contains(c)).toList();
            if (!unknown.isEmpty()) {
                out.add(where + "unknown column" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                        + "; the table has " + String.join(", ", columns));
            }
        }
        return out;
    }

    /** Debezium properties that make the full load read only the rows each condition keeps. */
    public Properties snapshotProperties() {
        Properties p = new Properties();
        List<String> tables = new ArrayList<>();
        for (Entry e : byTable.values()) {
            if (e.parsed() == null) {
                continue;
            }
            tables.add(e.name());
            p.setProperty(OVERRIDES + "." + e.name(), "SELECT * FROM " + quote(e.database()) + "." + quote(e.table())
                    + " WHERE " + e.condition());
        }
        if (!tables.isEmpty()) {
            p.setProperty(OVERRIDES, String.join(",", tables));
        }
        return p;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * Whether a change passes its table's filter: snapshot rows always (the database filtered them), DDL always,
     * INSERT by the after image, DELETE by the before image, UPDATE when either image matches.
     */
    public boolean keep(ChangeEvent event) {
        if (byTable.isEmpty() || event.isDdl() || event.position().snapshot()) {
            return true;
        }
        Entry e = byTable.get((event.database() + "." + event.table()).toLowerCase(Locale.ROOT));
        if (e == null || e.parsed() == null) {
            return true; // a table without a filter; an unparsed one never gets this far (the precheck refuses it)
        }
        return switch (event.operation()) {
            case INSERT -> e.parsed().matches(event.after());
            case DELETE -> e.parsed().matches(event.before());
            default -> e.parsed().matches(event.before()) || e.parsed().matches(event.after());
        };
    }
}
