package io.sluice.adb;

import io.sluice.base.PrecheckItem;
import io.sluice.jdbc.ConnectionProbe;
import io.sluice.jdbc.ErrorKind;
import io.sluice.jdbc.SqlErrors;
import io.sluice.jdbc.TableNotFoundException;
import io.sluice.jdbc.TableSchema;
import io.sluice.record.Column;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The precheck of the {@code adb} sink ({@code GET /api/links/{id}/precheck}): the destination database answers and
 * takes the data source's account ({@link ConnectionProbe}), the destination table exists, and the link's mapping and
 * skipColumns name its columns. Each item after a failed one is left out: it could not be checked.
 */
final class AdbPrecheck {

    private static final String CONNECTION = "destination connection";
    private static final String TABLE = "destination table";
    private static final String MAPPING = "field mapping";

    private final AdbEndpoint endpoint;

    AdbPrecheck(AdbEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    List<PrecheckItem> run() {
        List<PrecheckItem> items = new ArrayList<>();
        String dataSource = "data source '" + endpoint.getOptions().getDataSource() + "'";
        DataSource ds;
        try {
            ds = endpoint.lookupDataSource();
        } catch (IllegalArgumentException e) {
            items.add(PrecheckItem.fail(CONNECTION, e.getMessage(), "name a declared data source in the link's "
                    + "dataSource option"));
            return items;
        }
        ConnectionProbe.Failure refused = ConnectionProbe.check(ds).orElse(null);
        if (refused != null) {
            items.add(connectionItem(refused, dataSource));
            return items;
        }
        items.add(PrecheckItem.pass(CONNECTION, "the destination database answers and takes the account of " + dataSource));
        TableSchema schema;
        try (Connection c = ds.getConnection()) {
            schema = endpoint.readSchema(c);
        } catch (TableNotFoundException e) {
            items.add(PrecheckItem.fail(TABLE, "table " + endpoint.getTable() + " does not exist in the destination "
                    + "database", "create it first (Sluice does not create APS destination tables), or fix the link's table"));
            return items;
        } catch (SQLException e) {
            String detail = "cannot read table " + endpoint.getTable() + ": " + SqlErrors.describe(e);
            ErrorKind kind = SqlErrors.classify(e);
            items.add(kind == ErrorKind.RETRYABLE
                    ? PrecheckItem.unreachable(TABLE, detail, "check that the database runs and answers")
                    : PrecheckItem.fail(TABLE, detail, "check that the account of " + dataSource + " may read the table"));
            return items;
        }
        items.add(PrecheckItem.pass(TABLE, "table " + endpoint.getTable() + " exists with columns "
                + schema.columns().stream().map(Column::name).toList()));
        try {
            endpoint.fieldMapping(schema);
            items.add(PrecheckItem.pass(MAPPING, "mapping and skipColumns name columns of " + endpoint.getTable()));
        } catch (IllegalArgumentException e) {
            items.add(PrecheckItem.fail(MAPPING, "the field mapping for " + endpoint.getTable() + " is not valid: "
                    + e.getMessage(), "fix the link's mapping or skipColumns"));
        }
        return items;
    }

    /** The connection item of a failed {@link ConnectionProbe}: unreachable when the server only did not answer. */
    private static PrecheckItem connectionItem(ConnectionProbe.Failure refused, String dataSource) {
        String detail = refused.problem() + " (" + dataSource + ")"
                + (refused.detail() == null ? "" : ": " + refused.detail());
        if (refused.unreachable()) {
            return PrecheckItem.unreachable(CONNECTION, detail, refused.fix() != null ? refused.fix()
                    : "check that the database runs and answers; the link retries its start meanwhile");
        }
        return PrecheckItem.fail(CONNECTION, detail, refused.fix() != null ? refused.fix()
                : "check the destination database and the account of " + dataSource);
    }
}
