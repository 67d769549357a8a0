package io.sluice.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;

import java.util.ArrayList;
import java.util.List;

/** Reads of the tables already in the link's MaxCompute project, failures classified by {@link SinkErrors#guard}. */
final class ProjectTables {

    private final MaxComputeTarget target;
    private final SinkErrors errors;

    ProjectTables(MaxComputeTarget target, SinkErrors errors) {
        this.target = target;
        this.errors = errors;
    }

    boolean exists(String table) {
        return read(table, odps -> odps.tables().exists(table));
    }

    /** The columns of an existing MaxCompute table in their order; empty when there is no such table. */
    List<Column> columns(String table) {
        return read(table, odps -> odps.tables().exists(table)
                ? new ArrayList<>(odps.tables().get(table).getSchema().getColumns()) : List.of());
    }

    private interface TableRead<T> {
        T read(Odps odps) throws OdpsException;
    }

    private <T> T read(String table, TableRead<T> read) {
        List<T> result = new ArrayList<>(1);
        errors.guard(table, () -> {
            try {
                result.add(read.read(target.odps()));
            } catch (OdpsException ex) {
                throw new MaxComputeException("MaxCompute " + target.project() + ": could not read table " + table + ": "
                        + ex.getMessage(), ex);
            }
        });
        return result.get(0);
    }
}
