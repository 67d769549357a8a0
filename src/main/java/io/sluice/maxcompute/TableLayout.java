package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.type.TypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MaxCompute shape of one source table: {@code <table>_base} with the source columns, and {@code <table>_log}
 * with the five additional columns ({@code record_id BIGINT, operation_flag STRING, utc_timestamp BIGINT,
 * before_flag STRING, after_flag STRING}, named by the {@link NamingRule}) followed by the source columns, and
 * partitioned by the chosen {@link PartitionLevel}s. Immutable; {@link #withColumn} gives the shape after an
 * ADD COLUMN.
 */
public final class TableLayout {

    /** The additional {@code _log} columns in their order, before the naming rule's prefix. */
    public static final List<String> ADDITIONAL = List.of("record_id", "operation_flag", "utc_timestamp",
            "before_flag", "after_flag");

    private final String table;
    private final List<SourceColumn> sourceColumns;
    private final NamingRule namingRule;
    private final List<PartitionLevel> levels;
    private final List<Column> baseColumns;
    private final List<Column> logColumns;
    private final List<Column> partitionColumns;

    public TableLayout(String table, List<SourceColumn> sourceColumns, NamingRule namingRule,
                       List<PartitionLevel> levels) {
        if (sourceColumns.isEmpty()) {
            throw new IllegalArgumentException("table " + table + " has no columns");
        }
        this.table = table;
        this.sourceColumns = List.copyOf(sourceColumns);
        this.namingRule = namingRule;
        this.levels = levels.stream().sorted().distinct().toList();
        Map<String, String> names = new LinkedHashMap<>();
        List<Column> baseColumns = new ArrayList<>();
        for (SourceColumn c : sourceColumns) {
            String key = c.name().toLowerCase(Locale.ROOT);
            if (names.put(key, "source column") != null) {
                throw new IllegalArgumentException("table " + table + " has the column " + c.name() + " twice");
            }
            TypeInfo type;
            try {
                type = MaxComputeTypes.of(c.type());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("table " + table + ", column " + c.name() + ": " + e.getMessage(), e);
            }
            baseColumns.add(new Column(c.name(), type));
        }
        List<Column> logColumns = new ArrayList<>();
        List<TypeInfo> additionalTypes = List.of(TypeInfoFactory.BIGINT, TypeInfoFactory.STRING, TypeInfoFactory.BIGINT,
                TypeInfoFactory.STRING, TypeInfoFactory.STRING);
        List<String> clashes = new ArrayList<>();
        for (int i = 0; i < ADDITIONAL.size(); i++) {
            String name = namingRule.name(ADDITIONAL.get(i));
            if (names.containsKey(name.toLowerCase(Locale.ROOT))) {
                clashes.add(name);
            }
            logColumns.add(new Column(name, additionalTypes.get(i)));
        }
        logColumns.addAll(baseColumns);
        List<Column> partitionColumns = new ArrayList<>();
        for (PartitionLevel level : this.levels) {
            String name = namingRule.name(level.column());
            if (names.containsKey(name.toLowerCase(Locale.ROOT))) {
                clashes.add(name);
            }
            partitionColumns.add(new Column(name, TypeInfoFactory.STRING));
        }
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("table " + table + ": the source column(s) " + clashes + " clash with the "
                    + "additional columns of the " + namingRule.name().toLowerCase(Locale.ROOT) + " naming rule; "
                    + (namingRule == NamingRule.PREVIOUS ? "choose namingRule=new (prefix new_dts_sync_)"
                    : "rename the source column(s)") + " before synchronising");
        }
        // immutable, so the getters hand out these lists themselves (called per row) instead of a copy each time
        this.baseColumns = List.copyOf(baseColumns);
        this.logColumns = List.copyOf(logColumns);
        this.partitionColumns = List.copyOf(partitionColumns);
    }

    /** The layout after {@code ALTER TABLE ... ADD COLUMN column} on the source. */
    public TableLayout withColumn(SourceColumn column) {
        List<SourceColumn> columns = new ArrayList<>(sourceColumns);
        columns.add(column);
        return new TableLayout(table, columns, namingRule, levels);
    }

    /** The layout after a source column is renamed (its type, place and values kept). */
    TableLayout withRenamed(String column, String newName) {
        return new TableLayout(table, sourceColumns.stream().map(c -> c.name().equalsIgnoreCase(column)
                ? new SourceColumn(newName, c.type()) : c).toList(), namingRule, levels);
    }

    /** This layout without a source column (to replay an ADD COLUMN of it). */
    TableLayout without(String column) {
        return new TableLayout(table, sourceColumns.stream().filter(c -> !c.name().equalsIgnoreCase(column)).toList(),
                namingRule, levels);
    }

    public String table() {
        return table;
    }

    public String baseTable() {
        return table + "_base";
    }

    public String logTable() {
        return table + "_log";
    }

    public List<SourceColumn> sourceColumns() {
        return sourceColumns;
    }

    public NamingRule namingRule() {
        return namingRule;
    }

    public List<PartitionLevel> levels() {
        return levels;
    }

    /** The MaxCompute columns of {@code _base} (the source columns, mapped). */
    public List<Column> baseColumns() {
        return baseColumns;
    }

    /** The MaxCompute columns of {@code _log}: the additional ones, then the source columns. */
    public List<Column> logColumns() {
        return logColumns;
    }

    public List<Column> partitionColumns() {
        return partitionColumns;
    }

    /** The destination name of an additional column under this layout's naming rule. */
    public String additional(String column) {
        return namingRule.name(column);
    }
}
