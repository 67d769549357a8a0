package io.sluice.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordReader;
import com.aliyun.odps.tunnel.TableTunnel;
import io.sluice.devservices.maxcompute.LocalMaxCompute;
import io.sluice.testkit.TestServers;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: the test kit's MaxCompute target and reading a table back through a real download session. */
public final class McTables {

    private McTables() {
    }

    static MaxComputeTarget target() {
        LocalMaxCompute server = TestServers.maxCompute();
        return new MaxComputeTarget(TestServers.MAXCOMPUTE_PROJECT, TestServers.MAXCOMPUTE_ACCESS_ID,
                TestServers.MAXCOMPUTE_ACCESS_KEY, server.endpoint(), server.tunnelEndpoint());
    }

    /** Whether table {@code table} exists in the test project. */
    public static boolean exists(String table) throws Exception {
        return target().odps().tables().exists(table);
    }

    /** Every record of a table (or of one partition) read back with the SDK's download session. */
    public static List<Record> read(String table, PartitionSpec partition) throws Exception {
        MaxComputeTarget target = target();
        Odps odps = target.odps();
        TableTunnel tunnel = target.tunnel(odps);
        TableTunnel.DownloadSession session = partition == null
                ? tunnel.createDownloadSession(target.project(), table)
                : tunnel.createDownloadSession(target.project(), table, partition);
        List<Record> records = new ArrayList<>();
        try (RecordReader reader = session.openRecordReader(0, session.getRecordCount(), true)) {
            for (Record r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        return records;
    }

    /**
     * The rows of a {@code _log} table (new naming rule) in record_id order, the two images of an UPDATE before first:
     * operation flag, before and after flags, then the values of {@code columns}, separated by spaces.
     */
    public static List<String> log(String table, String... columns) throws Exception {
        List<Record> rows = new ArrayList<>(readAllPartitions(table));
        rows.sort(java.util.Comparator.comparing((Record r) -> r.getBigint("new_dts_sync_record_id"))
                .thenComparing(r -> r.getString("new_dts_sync_after_flag")));
        List<String> out = new ArrayList<>();
        for (Record r : rows) {
            StringBuilder sb = new StringBuilder(r.getString("new_dts_sync_operation_flag") + " "
                    + r.getString("new_dts_sync_before_flag") + r.getString("new_dts_sync_after_flag"));
            for (String c : columns) {
                sb.append(' ').append(r.get(c));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * How many records a table holds, over all its partitions, from download sessions' counts (without reading the
     * records: the benchmarks poll it at a million rows).
     */
    public static long recordCount(String table) throws Exception {
        MaxComputeTarget target = target();
        Odps odps = target.odps();
        TableTunnel tunnel = target.tunnel(odps);
        com.aliyun.odps.Table t = odps.tables().get(table);
        if (!t.isPartitioned()) {
            return tunnel.createDownloadSession(target.project(), table).getRecordCount();
        }
        long n = 0;
        for (var p : t.getPartitions()) {
            n += tunnel.createDownloadSession(target.project(), table, p.getPartitionSpec()).getRecordCount();
        }
        return n;
    }

    /** Every record of a partitioned table, partition by partition. */
    public static List<Record> readAllPartitions(String table) throws Exception {
        List<Record> records = new ArrayList<>();
        for (var p : target().odps().tables().get(table).getPartitions()) {
            records.addAll(read(table, p.getPartitionSpec()));
        }
        return records;
    }
}
