package io.sluice.maxcompute;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The merge of seed 003: the full table at time T rebuilt from {@code <table>_base} and {@code <table>_log}.
 * Every row of {@code _base} counts as an insert with record_id 0; of {@code _log}, the rows with
 * {@code utc_timestamp < T}; per primary key the row with the highest record_id wins (for the two rows of an
 * UPDATE, which share it, the after image: {@code after_flag desc}); the key is kept if that row is an after
 * image ({@code after_flag = 'Y'}), dropped if it is a DELETE's before image.
 *
 * <p>Differences from the seed's text, which does not run as printed: the seed aliases the rank
 * {@code row_number} but filters on {@code record_num}; here it is {@code record_num} in both places. Identifiers
 * are back-quoted, which both MaxCompute and MySQL/MariaDB accept (and which {@code utc_timestamp} needs on MySQL,
 * where it is a function name). {@link #select} is the part both dialects run; {@link #mergeSql} wraps it in
 * MaxCompute's {@code set odps.sql.allow.fullscan=true; insert overwrite table ...}.
 */
public final class MergeSql {

    private MergeSql() {
    }

    /** The MaxCompute script that fills {@code resultTable} with the full table at {@code t} (epoch seconds). */
    public static String mergeSql(TableLayout layout, List<String> primaryKey, String resultTable, long t) {
        return "set odps.sql.allow.fullscan=true;\ninsert overwrite table " + q(resultTable) + "\n"
                + select(layout, primaryKey, t) + ";";
    }

    /** The SELECT giving the full table at {@code t}: the source columns, one row per primary key. */
    public static String select(TableLayout layout, List<String> primaryKey, long t) {
        if (primaryKey.isEmpty()) {
            throw new IllegalArgumentException("the merge of " + layout.table() + " needs its primary key");
        }
        List<String> cols = layout.sourceColumns().stream().map(SourceColumn::name).toList();
        String recordId = q(layout.additional("record_id"));
        String operationFlag = q(layout.additional("operation_flag"));
        String afterFlag = q(layout.additional("after_flag"));
        String utcTimestamp = q(layout.additional("utc_timestamp"));
        String plain = cols.stream().map(MergeSql::q).collect(Collectors.joining(", "));
        String incr = cols.stream().map(c -> "incr." + q(c)).collect(Collectors.joining(", "));
        String base = cols.stream().map(c -> "base." + q(c)).collect(Collectors.joining(", "));
        String partitionBy = primaryKey.stream().map(c -> "t." + q(c)).collect(Collectors.joining(", "));
        return "select " + plain + "\n"
                + "from (\n"
                + "  select row_number() over (partition by " + partitionBy + "\n"
                + "         order by " + recordId + " desc, " + afterFlag + " desc) as record_num,\n"
                + "         " + recordId + ", " + operationFlag + ", " + afterFlag + ", " + plain + "\n"
                + "  from (\n"
                + "    select incr." + recordId + ", incr." + operationFlag + ", incr." + afterFlag + ", " + incr + "\n"
                + "    from " + q(layout.logTable()) + " incr\n"
                + "    where incr." + utcTimestamp + " < " + t + "\n"
                + "    union all\n"
                + "    select 0 as " + recordId + ", 'I' as " + operationFlag + ", 'Y' as " + afterFlag + ", " + base
                + "\n"
                + "    from " + q(layout.baseTable()) + " base) t) gt\n"
                + "where gt.record_num = 1\n"
                + "  and gt." + afterFlag + " = 'Y'";
    }

    private static String q(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
