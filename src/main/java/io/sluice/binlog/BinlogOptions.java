package io.sluice.binlog;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.base.BackoffOptions;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

import java.util.HashMap;
import java.util.Map;

/**
 * Options of the MySQL binlog source (seed 004: source database, objects, operations, full + incremental; the retry
 * times and throttling of seeds 002/003). Bound by reflection on the setters (hence registered for the native image).
 */
@UriParams
@RegisterForReflection
public class BinlogOptions extends BackoffOptions {

    @UriParam(description = "MySQL data source: sluice.mysql.<name>.host/port/username/password/server-id") @Metadata(required = true)
    private String dataSource;
    @UriParam(description = "Databases to synchronise: comma-separated names or regular expressions")
    private String databases;
    @UriParam(description = "Tables to synchronise: comma-separated database.table names or regular expressions")
    private String tables;
    @UriParam(description = "Columns left out of the link (large fields, secrets): comma-separated "
            + "database.table.column names or regular expressions")
    private String excludeColumns;
    @UriParam(description = "Operations synchronised: insert, update, delete, ddl", defaultValue = "insert,update,delete,ddl")
    private String operations = "insert,update,delete,ddl";
    @UriParam(description = "Per-table operations, e.g. demo.orders=insert,update;demo.audit=insert")
    private String tableOperations;
    @UriParam(description = "Row filter conditions (SQL WHERE) per table: <database>.<table>=<condition> entries "
            + "separated by ';' (a ';' inside a quoted string belongs to the condition), e.g. "
            + "demo.orders=amount > 100 AND status <> 'x';demo.users=id < 1000")
    private String filters;
    @UriParam(description = "Database renames: <source>=<destination>, comma-separated, e.g. demo=demo_copy")
    private String renameDatabases;
    @UriParam(description = "Table renames: <database>.<table>=<new table>, comma-separated, e.g. demo.orders=orders_copy")
    private String renameTables;
    @UriParam(description = "Column renames: <database>.<table>.<column>=<new column>, comma-separated")
    private String renameColumns;
    @UriParam(description = "Capitalization of database, table and column names in the destination: dts-default "
            + "(the destination's: lowercase for MaxCompute, the source's case for Kafka), source, lowercase, uppercase",
            defaultValue = "dts-default")
    private String objectNameCase = "dts-default";
    @UriParam(description = "Debezium snapshot.mode: initial (full load, then the binlog), no_data (binlog only), "
            + "when_needed, initial_only", defaultValue = "initial")
    private String snapshotMode = "initial";
    @UriParam(description = "Selected tables without a primary or unique key: refuse (the precheck fails, as DTS's "
            + "precheck does) or sync (DTS's \"ignore the precheck alert\": they are synchronised, the precheck warns; "
            + "the destination may contain duplicate records, Kafka's by-primary-key partitioning ships such a table "
            + "by table, and MaxCompute's merge SQL is refused for it)", defaultValue = "refuse", enums = "refuse,sync")
    private String tablesWithoutKey = "refuse";
    @UriParam(description = "server_id of the binlog reader; default: the data source's server-id")
    private Long serverId;
    @UriParam(description = "Most change events per batch", defaultValue = "2048")
    private int maxBatchSize = 2048;
    @UriParam(description = "How often marked positions are written to the offsets file, ms", defaultValue = "1000")
    private long offsetFlushIntervalMs = 1000;
    @UriParam(description = "Heartbeat interval, ms: the stored position moves on while the selected tables are idle "
            + "(else it could fall behind until the server purges it); 0 turns heartbeats off", defaultValue = "10000")
    private long heartbeatIntervalMs = 10000;
    @UriParam(description = "Retry time for failed connections, minutes (10-1440): how long a batch the destination "
            + "cannot be reached for, or a binlog reader that lost its source or state database, is retried before "
            + "the link fails", defaultValue = "720")
    private int retryTimeForFailedConnections = 720;
    @UriParam(description = "Retry time for other issues, minutes (1-1440, below the one for connections): how long "
            + "a batch failing for another reason is retried before the link fails", defaultValue = "10")
    private int retryTimeForOtherIssues = 10;
    @UriParam(description = "Throttling of full data synchronization: rows per second, 0 = off", defaultValue = "0")
    private double fullRowsPerSecond;
    @UriParam(description = "Throttling of full data synchronization: MB per second, 0 = off", defaultValue = "0")
    private double fullMegabytesPerSecond;
    @UriParam(description = "Throttling of incremental synchronization: rows per second, 0 = off", defaultValue = "0")
    private double incrementalRowsPerSecond;
    @UriParam(description = "Throttling of incremental synchronization: MB per second, 0 = off", defaultValue = "0")
    private double incrementalMegabytesPerSecond;
    @UriParam(description = "Where the link's positions (Debezium offsets and schema history) are kept: file (the "
            + "directory <sluice.state.dir>/<link id>/ of this instance) or jdbc (tables in the MySQL/MariaDB database "
            + "stateJdbcUrl, shared by links and instances); unset, the application's store (sluice.state.store)",
            enums = "file,jdbc")
    private String stateStore;
    // TLS to the state database is the driver's own URL parameters (what a user of that driver already writes, and
    // what Debezium's JDBC stores, which take the same URL, understand too), not options of the link
    @UriParam(description = "stateStore=jdbc: JDBC URL of the state database, jdbc:mariadb://<host>:<port>/<database> "
            + "or jdbc:mysql://...; the tables sluice_binlog_offsets and sluice_binlog_schema_history are created there. "
            + "TLS: the driver's URL parameters, e.g. ?sslMode=verify-ca&serverSslCert=/etc/sluice/state-ca.pem")
    private String stateJdbcUrl;
    @UriParam(description = "stateStore=jdbc: account of the state database (SELECT, INSERT, DELETE, CREATE)")
    private String stateJdbcUser;
    @UriParam(description = "stateStore=jdbc: password of the state database account", secret = true, label = "security")
    private String stateJdbcPassword;
    @UriParam(prefix = "additionalProperties.", multiValue = true,
            description = "Debezium connector properties passed through, e.g. additionalProperties.heartbeat.interval.ms=10000")
    private Map<String, Object> additionalProperties = new HashMap<>();

    /** The seed's ranges for the retry times: refused when the link is added. */
    void validateRetryTimes() {
        if (retryTimeForFailedConnections < 10 || retryTimeForFailedConnections > 1440) {
            throw new IllegalArgumentException("retryTimeForFailedConnections must be 10 to 1440 minutes, not "
                    + retryTimeForFailedConnections);
        }
        if (retryTimeForOtherIssues < 1 || retryTimeForOtherIssues > 1440
                || retryTimeForOtherIssues >= retryTimeForFailedConnections) {
            throw new IllegalArgumentException("retryTimeForOtherIssues must be 1 to 1440 minutes and below "
                    + "retryTimeForFailedConnections (" + retryTimeForFailedConnections + "), not " + retryTimeForOtherIssues);
        }
        if (fullRowsPerSecond < 0 || fullMegabytesPerSecond < 0 || incrementalRowsPerSecond < 0
                || incrementalMegabytesPerSecond < 0) {
            throw new IllegalArgumentException("throttling limits must be 0 (off) or positive");
        }
    }

    Throttle fullThrottle() {
        return new Throttle(fullRowsPerSecond, fullMegabytesPerSecond * 1_000_000);
    }

    Throttle incrementalThrottle() {
        return new Throttle(incrementalRowsPerSecond, incrementalMegabytesPerSecond * 1_000_000);
    }

    /** The seed's two retry times, which give up on a batch failing for longer. */
    RetryTimes retryTimes() {
        return new RetryTimes(retryTimeForFailedConnections, retryTimeForOtherIssues);
    }

    public String getDataSource() {
        return dataSource;
    }

    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public String getDatabases() {
        return databases;
    }

    public void setDatabases(String databases) {
        this.databases = databases;
    }

    public String getTables() {
        return tables;
    }

    public void setTables(String tables) {
        this.tables = tables;
    }

    public String getExcludeColumns() {
        return excludeColumns;
    }

    public void setExcludeColumns(String excludeColumns) {
        this.excludeColumns = excludeColumns;
    }

    public String getOperations() {
        return operations;
    }

    public void setOperations(String operations) {
        this.operations = operations;
    }

    public String getTableOperations() {
        return tableOperations;
    }

    public void setTableOperations(String tableOperations) {
        this.tableOperations = tableOperations;
    }

    public String getSnapshotMode() {
        return snapshotMode;
    }

    public void setSnapshotMode(String snapshotMode) {
        this.snapshotMode = snapshotMode;
    }

    public Long getServerId() {
        return serverId;
    }

    public void setServerId(Long serverId) {
        this.serverId = serverId;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public long getOffsetFlushIntervalMs() {
        return offsetFlushIntervalMs;
    }

    public void setOffsetFlushIntervalMs(long offsetFlushIntervalMs) {
        this.offsetFlushIntervalMs = offsetFlushIntervalMs;
    }

    public long getHeartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    public void setHeartbeatIntervalMs(long heartbeatIntervalMs) {
        this.heartbeatIntervalMs = heartbeatIntervalMs;
    }

    public int getRetryTimeForFailedConnections() {
        return retryTimeForFailedConnections;
    }

    public void setRetryTimeForFailedConnections(int retryTimeForFailedConnections) {
        this.retryTimeForFailedConnections = retryTimeForFailedConnections;
    }

    public int getRetryTimeForOtherIssues() {
        return retryTimeForOtherIssues;
    }

    public void setRetryTimeForOtherIssues(int retryTimeForOtherIssues) {
        this.retryTimeForOtherIssues = retryTimeForOtherIssues;
    }

    public double getFullRowsPerSecond() {
        return fullRowsPerSecond;
    }

    public void setFullRowsPerSecond(double fullRowsPerSecond) {
        this.fullRowsPerSecond = fullRowsPerSecond;
    }

    public double getFullMegabytesPerSecond() {
        return fullMegabytesPerSecond;
    }

    public void setFullMegabytesPerSecond(double fullMegabytesPerSecond) {
        this.fullMegabytesPerSecond = fullMegabytesPerSecond;
    }

    public double getIncrementalRowsPerSecond() {
        return incrementalRowsPerSecond;
    }

    public void setIncrementalRowsPerSecond(double incrementalRowsPerSecond) {
        this.incrementalRowsPerSecond = incrementalRowsPerSecond;
    }

    public double getIncrementalMegabytesPerSecond() {
        return incrementalMegabytesPerSecond;
    }

    public void setIncrementalMegabytesPerSecond(double incrementalMegabytesPerSecond) {
        this.incrementalMegabytesPerSecond = incrementalMegabytesPerSecond;
    }

    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    public void setAdditionalProperties(Map<String, Object> additionalProperties) {
        this.additionalProperties = additionalProperties;
    }

    public String getTablesWithoutKey() {
        return tablesWithoutKey;
    }

    public void setTablesWithoutKey(String tablesWithoutKey) {
        this.tablesWithoutKey = tablesWithoutKey;
    }

    public String getStateStore() {
        return stateStore;
    }

    public void setStateStore(String stateStore) {
        this.stateStore = stateStore;
    }

    public String getStateJdbcUrl() {
        return stateJdbcUrl;
    }

    public void setStateJdbcUrl(String stateJdbcUrl) {
        this.stateJdbcUrl = stateJdbcUrl;
    }

    public String getStateJdbcUser() {
        return stateJdbcUser;
    }

    public void setStateJdbcUser(String stateJdbcUser) {
        this.stateJdbcUser = stateJdbcUser;
    }

    public String getStateJdbcPassword() {
        return stateJdbcPassword;
    }

    public void setStateJdbcPassword(String stateJdbcPassword) {
        this.stateJdbcPassword = stateJdbcPassword;
    }

    public String getFilters() {
        return filters;
    }

    public void setFilters(String filters) {
        this.filters = filters;
    }

    public String getRenameDatabases() {
        return renameDatabases;
    }

    public void setRenameDatabases(String renameDatabases) {
        this.renameDatabases = renameDatabases;
    }

    public String getRenameTables() {
        return renameTables;
    }

    public void setRenameTables(String renameTables) {
        this.renameTables = renameTables;
    }

    public String getRenameColumns() {
        return renameColumns;
    }

    public void setRenameColumns(String renameColumns) {
        this.renameColumns = renameColumns;
    }

    public String getObjectNameCase() {
        return objectNameCase;
    }

    public void setObjectNameCase(String objectNameCase) {
        this.objectNameCase = objectNameCase;
    }
}
