package io.sluice.maxcompute;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the MaxCompute sink (seeds 002/003: naming rule, log partitions; writer tuning). Bound by reflection on
 * the setters (hence registered for the native image).
 */
@UriParams
@RegisterForReflection
public class MaxComputeOptions {

    @UriParam(description = "MaxCompute data source: a name declared as sluice.maxcompute.<name>.* in "
            + "application.properties") @Metadata(required = true)
    private String dataSource;
    @UriParam(description = "Naming rule of the additional columns: new (new_dts_sync_record_id ...) or previous "
            + "(record_id ...)", defaultValue = "new")
    private String namingRule = "new";
    @UriParam(description = "Partition definition of the _log tables: levels of the change time (UTC) among year, "
            + "month, day, hour, minute, separated by commas; none for an unpartitioned _log",
            defaultValue = "year,month,day,hour")
    private String partitionLevels = "year,month,day,hour";
    /** Moved to the source (objectNameCase of mysql-binlog): refused here with that fix. */
    private String objectNameCase;
    @UriParam(description = "Buffered rows of one table that trigger a flush inside a batch (every batch is flushed "
            + "at its end anyway)", defaultValue = "20000")
    private int maxBufferedRows = 20_000;
    @UriParam(description = "Rows per tunnel block", defaultValue = "10000")
    private int blockRows = 10_000;
    @UriParam(description = "Deflate tunnel blocks", defaultValue = "true")
    private boolean compress = true;
    @UriParam(description = "Attempts of one upload before the batch fails (and is retried by the source)",
            defaultValue = "6")
    private int maxAttempts = 6;
    @UriParam(description = "Pause between upload attempts, ms", defaultValue = "500")
    private long retryBackoffMs = 500;
    @UriParam(description = "Zone in which MySQL DATETIME values become MaxCompute DATETIME (the project's "
            + "odps.sql.timezone)", defaultValue = "UTC")
    private String datetimeZone = "UTC";
    @UriParam(description = "Processing mode of conflicting tables (a source table's _base or _log already in the "
            + "project, not created by this link): precheck (the link stops before writing the table, naming it and "
            + "the fix) or ignore (append to the existing tables)", defaultValue = "precheck")
    private String conflictingTables = "precheck";

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public String getNamingRule() {
        return namingRule;
    }

    public void setNamingRule(String namingRule) {
        this.namingRule = namingRule;
    }

    public String getPartitionLevels() {
        return partitionLevels;
    }

    public void setPartitionLevels(String partitionLevels) {
        this.partitionLevels = partitionLevels;
    }

    public String getObjectNameCase() {
        return objectNameCase;
    }

    public void setObjectNameCase(String objectNameCase) {
        this.objectNameCase = objectNameCase;
    }

    public int getMaxBufferedRows() {
        return maxBufferedRows;
    }

    public void setMaxBufferedRows(int maxBufferedRows) {
        this.maxBufferedRows = maxBufferedRows;
    }

    public int getBlockRows() {
        return blockRows;
    }

    public void setBlockRows(int blockRows) {
        this.blockRows = blockRows;
    }

    public boolean isCompress() {
        return compress;
    }

    public void setCompress(boolean compress) {
        this.compress = compress;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public long getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(long retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public String getConflictingTables() {
        return conflictingTables;
    }

    public void setConflictingTables(String conflictingTables) {
        this.conflictingTables = conflictingTables;
    }

    public String getDatetimeZone() {
        return datetimeZone;
    }

    public void setDatetimeZone(String datetimeZone) {
        this.datetimeZone = datetimeZone;
    }
}
