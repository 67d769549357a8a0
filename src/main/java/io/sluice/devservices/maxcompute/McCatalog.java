package io.sluice.devservices.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local server's state: projects, tables (schema, partitions, rows), in memory. Names are case-insensitive as in
 * MaxCompute (kept as lower case). Every method that changes a table synchronises on it.
 */
final class McCatalog {

    /** A table: its schema (data columns may grow by ADD COLUMNS), partitions and committed rows. */
    static final class McTable {
        final String project;
        final String name;
        final List<Column> columns = new ArrayList<>();
        final List<Column> partitionColumns = new ArrayList<>();
        final long createdSeconds = System.currentTimeMillis() / 1000;
        /** Partition key ({@code k=v/k2=v2}, in partition column order; "" for an unpartitioned table) to rows. */
        final Map<String, List<Object[]>> rows = new TreeMap<>();
        long lastModifiedSeconds = createdSeconds;

        McTable(String project, String name) {
            this.project = project;
            this.name = name;
        }

        boolean partitioned() {
            return !partitionColumns.isEmpty();
        }

        synchronized TableSchema schema() {
            TableSchema schema = new TableSchema();
            columns.forEach(schema::addColumn);
            partitionColumns.forEach(schema::addPartitionColumn);
            return schema;
        }

        /** The canonical key of a partition spec, or null if the spec does not name exactly the partition columns. */
        String partitionKey(String spec) {
            if (!partitioned()) {
                return spec == null || spec.isBlank() ? "" : null;
            }
            if (spec == null || spec.isBlank()) {
                return null;
            }
            PartitionSpec parsed;
            try {
                parsed = new PartitionSpec(spec);
            } catch (IllegalArgumentException e) {
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : parsed.keys()) {
                values.put(key.toLowerCase(Locale.ROOT), parsed.get(key));
            }
            if (values.size() != partitionColumns.size()) {
                return null;
            }
            StringBuilder key = new StringBuilder();
            for (Column c : partitionColumns) {
                String v = values.get(c.getName());
                if (v == null) {
                    return null;
                }
                key.append(key.length() == 0 ? "" : "/").append(c.getName()).append('=').append(v);
            }
            return key.toString();
        }

        /** Committed blocks of a partition not yet added to {@link #rows} (decoded when the partition is read). */
        private final Map<String, List<Supplier<List<Object[]>>>> pending = new HashMap<>();

        /** Commits blocks of rows into a partition. */
        synchronized void append(String partitionKey, List<Supplier<List<Object[]>>> blocks) {
            rows.computeIfAbsent(partitionKey, k -> new ArrayList<>());
            pending.computeIfAbsent(partitionKey, k -> new ArrayList<>()).addAll(blocks);
            lastModifiedSeconds = System.currentTimeMillis() / 1000;
        }

        /** Empties every partition. */
        synchronized void truncate() {
            rows.replaceAll((k, v) -> new ArrayList<>());
            pending.clear();
            lastModifiedSeconds = System.currentTimeMillis() / 1000;
        }

        synchronized List<Object[]> rowsOf(String partitionKey) {
            List<Supplier<List<Object[]>>> blocks = pending.remove(partitionKey);
            if (blocks != null) {
                List<Object[]> target = rows.computeIfAbsent(partitionKey, k -> new ArrayList<>());
                blocks.forEach(b -> target.addAll(b.get()));
            }
            List<Object[]> list = rows.get(partitionKey);
            return list == null ? null : new ArrayList<>(list);
        }
    }

    private final Map<String, Map<String, McTable>> projects = new ConcurrentHashMap<>();

    void addProject(String project) {
        projects.putIfAbsent(project.toLowerCase(Locale.ROOT), new ConcurrentHashMap<>());
    }

    boolean hasProject(String project) {
        return projects.containsKey(project.toLowerCase(Locale.ROOT));
    }

    McTable table(String project, String table) {
        Map<String, McTable> tables = projects.get(project.toLowerCase(Locale.ROOT));
        return tables == null ? null : tables.get(table.toLowerCase(Locale.ROOT));
    }

    /** Adds the table unless one of that name exists; returns false if it existed. */
    boolean create(McTable table) {
        Map<String, McTable> tables = projects.get(table.project);
        if (tables == null) {
            throw new McError(404, "NoSuchProject", "ODPS-0420111:Project not found - '" + table.project + "'.");
        }
        return tables.putIfAbsent(table.name, table) == null;
    }

    boolean drop(String project, String table) {
        Map<String, McTable> tables = projects.get(project.toLowerCase(Locale.ROOT));
        return tables != null && tables.remove(table.toLowerCase(Locale.ROOT)) != null;
    }

    /** A request the server refuses: HTTP status, MaxCompute error code and message. */
    static final class McError extends RuntimeException {
        final int status;
        final String code;

        McError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
