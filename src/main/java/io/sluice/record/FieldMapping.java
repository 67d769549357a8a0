package io.sluice.record;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which source field feeds which destination column.
 *
 * <p>A column listed in the user mapping takes the field at that path (exact, else ignoring
 * case). Any other column takes the field named like it ignoring case, else the field whose
 * name with '.' replaced by '_' matches ignoring case. Column names in the user mapping and the
 * skip set match table columns ignoring case, like MySQL identifiers.
 */
public final class FieldMapping {
    private final List<Column> targetColumns;
    private final Map<Column, String> explicitPaths;
    /**
     * The field each target column reads, by position in {@link #targetColumns()}: the explicit path or the column's
     * name. The converter looks fields up for every column of every record; looking paths up by {@code Column} hashed
     * every component of the record (a seventh of the SLS link's thread in a profile, BENCHMARKS.md).
     */
    private final List<String> targetPaths;
    /** Whether the {@code i}-th target column has an explicit path (no fallback to a flattened name). */
    private final boolean[] explicit;

    private FieldMapping(List<Column> targetColumns, Map<Column, String> explicitPaths) {
        this.targetColumns = List.copyOf(targetColumns);
        this.explicitPaths = explicitPaths;
        this.targetPaths = this.targetColumns.stream().map(c -> explicitPaths.getOrDefault(c, c.name())).toList();
        this.explicit = new boolean[this.targetColumns.size()];
        for (int i = 0; i < explicit.length; i++) {
            explicit[i] = explicitPaths.containsKey(this.targetColumns.get(i));
        }
    }

    /** Default mapping by name, no skipped columns. */
    public static FieldMapping of(List<Column> columns) {
        return of(columns, Map.of(), Set.of());
    }

    /**
     * Start-time precheck included: unknown columns in {@code userMapping} or {@code skipColumns}
     * fail here, so a typo in a route never degrades into silently unwritten data.
     *
     * @param columns     destination columns in table order
     * @param userMapping destination column -> source field path; may be null
     * @param skipColumns destination columns never written; may be null
     */
    public static FieldMapping of(List<Column> columns, Map<String, String> userMapping, Set<String> skipColumns) {
        Map<String, String> mapping = userMapping == null ? Map.of() : userMapping;
        Set<String> skip = skipColumns == null ? Set.of() : skipColumns;
        Map<String, Column> byLowerName = columns.stream()
                .collect(Collectors.toMap(c -> lower(c.name()), Function.identity(), (a, b) -> a, LinkedHashMap::new));
        requireKnown(mapping.keySet(), skip, byLowerName, columns);

        Set<String> skipLower = skip.stream().map(FieldMapping::lower).collect(Collectors.toSet());
        Map<Column, String> explicit = new LinkedHashMap<>();
        mapping.forEach((column, path) -> {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("empty source field for column " + column);
            }
            if (skipLower.contains(lower(column))) {
                throw new IllegalArgumentException("column " + column + " is both mapped and skipped");
            }
            explicit.put(byLowerName.get(lower(column)), path.trim());
        });
        List<Column> targets = new ArrayList<>();
        for (Column column : columns) {
            if (!skipLower.contains(lower(column.name()))) {
                targets.add(column);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("every column is skipped, nothing to write");
        }
        return new FieldMapping(targets, explicit);
    }

    /**
     * Columns this mapping may write, in table order (all but skipped ones). A row omits those
     * whose field is absent, see {@link Converted#columns()}.
     */
    public List<Column> targetColumns() {
        return targetColumns;
    }

    /** The configured path for {@code column}, or its own name when mapped by default. */
    public String sourcePath(Column column) {
        return explicitPaths.getOrDefault(column, column.name());
    }

    /** The configured path (or the name) of the {@code i}-th target column: the message key an exact match uses. */
    String targetPath(int i) {
        return targetPaths.get(i);
    }

    /**
     * The actual key in the message feeding the {@code i}-th target column, or null when the message lacks it: the
     * path exactly, else ignoring case, and for a column mapped by name also a flattened path ("user.id" for user_id).
     */
    String resolve(int i, FieldIndex fields) {
        return explicit[i] ? fields.find(targetPaths.get(i)) : fields.findFlattened(targetColumns.get(i).name());
    }

    private static void requireKnown(Set<String> mapped, Set<String> skipped,
                                     Map<String, Column> byLowerName, List<Column> columns) {
        Set<String> unknown = new TreeSet<>();
        for (Set<String> names : List.of(mapped, skipped)) {
            for (String name : names) {
                if (name == null || !byLowerName.containsKey(lower(name))) {
                    unknown.add(String.valueOf(name));
                }
            }
        }
        if (!unknown.isEmpty()) {
            List<String> known = columns.stream().map(Column::name).toList();
            throw new IllegalArgumentException("unknown destination column(s) " + unknown
                    + "; table columns are " + known);
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
