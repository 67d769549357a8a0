package io.sluice.binlog;

import io.sluice.base.PrecheckItem;
import io.sluice.base.Precheckable;
import io.sluice.change.DestinationNameCase;
import io.sluice.change.ObjectNameCase;
import io.sluice.change.ObjectNames;
import io.sluice.change.RowFilters;
import io.sluice.change.SourceTimeZone;
import io.sluice.state.JdbcStateStore;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Options of the MySQL binlog source (seed 004: source database, objects, operations, full + incremental). */
@UriEndpoint(scheme = "mysql-binlog", title = "MySQL binlog source", syntax = "mysql-binlog:name",
        consumerOnly = true, category = {Category.DATABASE})
public class BinlogEndpoint extends DefaultEndpoint implements Precheckable, DestinationNameCase.Source {

    private static final String MYSQL_CONNECTOR = "io.debezium.connector.mysql.MySqlConnector";
    private static final Set<String> STATE_STORES = Set.of("file", "jdbc");
    private static final Set<String> SNAPSHOT_MODES = Set.of("initial", "no_data", "never", "when_needed",
            "initial_only", "schema_only", "recovery");

    @UriPath(description = "Logical server name: Debezium's topic.prefix (letters, digits, _ - .)") @Metadata(required = true)
    private final String name;
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
    @UriParam(description = "server_id of the binlog reader; default: the data source's server-id")
    private Long serverId;
    @UriParam(description = "Most change events per batch", defaultValue = "2048")
    private int maxBatchSize = 2048;
    @UriParam(description = "How often marked positions are written to the offsets file, ms", defaultValue = "1000")
    private long offsetFlushIntervalMs = 1000;
    @UriParam(description = "Heartbeat interval, ms: the stored position moves on while the selected tables are idle "
            + "(else it could fall behind until the server purges it); 0 turns heartbeats off", defaultValue = "10000")
    private long heartbeatIntervalMs = 10000;
    @UriParam(description = "First wait after a failed batch, ms (doubles up to maxRetryBackoffMs)", defaultValue = "1000")
    private long retryBackoffMs = 1000;
    @UriParam(description = "Longest wait between retries of a failed batch, ms", defaultValue = "30000")
    private long maxRetryBackoffMs = 30000;
    @UriParam(description = "Retry time for failed connections, minutes (10-1440): how long a batch the destination "
            + "cannot be reached for is retried before the link fails", defaultValue = "720")
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
            + "stateJdbcUrl, shared by links and instances)", defaultValue = "file", enums = "file,jdbc")
    private String stateStore = "file";
    @UriParam(description = "stateStore=jdbc: JDBC URL of the state database, jdbc:mariadb://<host>:<port>/<database> "
            + "or jdbc:mysql://...; the tables sluice_binlog_offsets and sluice_binlog_schema_history are created there")
    private String stateJdbcUrl;
    @UriParam(description = "stateStore=jdbc: account of the state database (SELECT, INSERT, DELETE, CREATE)")
    private String stateJdbcUser;
    @UriParam(description = "stateStore=jdbc: password of the state database account", secret = true, label = "security")
    private String stateJdbcPassword;
    @UriParam(prefix = "additionalProperties.", multiValue = true,
            description = "Debezium connector properties passed through, e.g. additionalProperties.heartbeat.interval.ms=10000")
    private Map<String, Object> additionalProperties = new HashMap<>();

    private Selection selection;
    /** Parsed by validate(); none until then (an endpoint built without Camel, as in tests, has no filters). */
    private RowFilters rowFilters = RowFilters.parse(null);
    private ObjectNames objectNames;
    /** The sink's capitalization for {@code objectNameCase=dts-default}, set by the control plane. */
    private volatile ObjectNameCase destinationNameCase = ObjectNameCase.SOURCE;
    /** Read by the precheck at each start; handed to the sink with every batch ({@link SourceTimeZone}). */
    private volatile ZoneId serverTimeZone;

    BinlogEndpoint(String uri, BinlogComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    void validate() {
        validateRetryTimes();
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("mysql-binlog needs a name of letters, digits, _ - . : mysql-binlog:<name>");
        }
        source();
        if (!SNAPSHOT_MODES.contains(snapshotMode)) {
            throw new IllegalArgumentException("snapshotMode '" + snapshotMode + "' is not one of " + SNAPSHOT_MODES);
        }
        selection = new Selection(databases, tables, operations, tableOperations);
        // a condition that does not parse or names an unknown column fails the link's start (its precheck)
        rowFilters = RowFilters.parse(filters);
        objectNames = ObjectNames.parse(renameDatabases, renameTables, renameColumns, objectNameCase);
        validateStateStore();
    }

    /** The state store options: refused when the link is added, each message naming the option and the fix. */
    void validateStateStore() {
        if (!STATE_STORES.contains(stateStore)) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": stateStore '" + stateStore + "' is not file "
                    + "or jdbc; file (the default) keeps positions in <sluice.state.dir>/<link id>/, jdbc in the database "
                    + "stateJdbcUrl");
        }
        boolean jdbc = stateStore.equals("jdbc");
        if (jdbc && (stateJdbcUrl == null || stateJdbcUrl.isBlank())) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": stateStore=jdbc needs stateJdbcUrl, the state "
                    + "database (e.g. stateJdbcUrl=jdbc:mariadb://<host>:3306/sluice_state, with stateJdbcUser and "
                    + "stateJdbcPassword), or stateStore=file");
        }
        if (jdbc && !JdbcStateStore.supports(stateJdbcUrl)) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": stateJdbcUrl must be a MySQL or MariaDB "
                    + "database, jdbc:mariadb://<host>:<port>/<database> or jdbc:mysql://..., not "
                    + stateJdbcUrl.replaceAll("[?;].*", "") + " (the state tables are created with MySQL statements)");
        }
        if (!jdbc && (stateJdbcUrl != null || stateJdbcUser != null || stateJdbcPassword != null)) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": stateJdbcUrl, stateJdbcUser and "
                    + "stateJdbcPassword are used only with stateStore=jdbc; set stateStore=jdbc or remove them");
        }
    }

    /** The JDBC state store of stateStore=jdbc; null for the file store. */
    JdbcStateStore jdbcStateStore() {
        return "jdbc".equals(stateStore) ? new JdbcStateStore(stateJdbcUrl, stateJdbcUser, stateJdbcPassword) : null;
    }

    MySqlConfig.MysqlSource source() {
        MySqlConfig.MysqlSource s = dataSource == null ? null : component().config().mysql().get(dataSource);
        if (s == null) {
            throw new IllegalArgumentException("mysql-binlog:" + name + " needs dataSource, a MySQL data source declared as "
                    + "sluice.mysql.<name>.host/username/password in application.properties"
                    + (dataSource == null ? "" : "; there is none named '" + dataSource + "'"));
        }
        String flavor = s.flavor();
        if (!flavor.equals("mariadb") && !flavor.equals("mysql")) {
            throw new IllegalArgumentException("sluice.mysql." + dataSource + ".flavor must be mariadb or mysql, not " + flavor);
        }
        if (flavor.equals("mysql")) {
            try {
                Class.forName(MYSQL_CONNECTOR, false, BinlogEndpoint.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("sluice.mysql." + dataSource + ".flavor=mysql needs Debezium's MySQL "
                        + "connector (io.debezium:debezium-connector-mysql), which this build does not include; "
                        + "flavor=mariadb reads MariaDB", e);
            }
        }
        return s;
    }

    /** The link's state directory: {@code <sluice.state.dir>/<link id>}. */
    Path stateDir(String link) {
        return component().state().linkDir(link);
    }

    /** The Debezium engine's settings for link {@code link}. */
    Properties engineProperties(String link) {
        MySqlConfig.MysqlSource s = source();
        boolean mariadb = s.flavor().equals("mariadb");
        Properties p = new Properties();
        p.setProperty("name", "sluice-" + link);
        p.setProperty("connector.class", mariadb ? DebeziumSettings.MARIADB_CONNECTOR
                : MYSQL_CONNECTOR);
        JdbcStateStore jdbc = jdbcStateStore();
        if (jdbc != null) {
            p.putAll(jdbc.debeziumProperties(link));
        } else {
            Path dir = stateDir(link);
            p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            p.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
            p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
            p.setProperty("schema.history.internal.file.filename", dir.resolve("schema-history.dat").toString());
        }
        p.setProperty("offset.flush.interval.ms", String.valueOf(offsetFlushIntervalMs));
        p.setProperty("database.hostname", s.host());
        p.setProperty("database.port", String.valueOf(s.port()));
        p.setProperty("database.user", s.username());
        p.setProperty("database.password", s.password().orElse(""));
        p.setProperty("database.server.id", String.valueOf(serverId != null ? serverId : s.serverId()));
        p.setProperty("database.ssl.mode", mariadb ? "disable" : "disabled");
        p.setProperty("topic.prefix", name);
        if (databases != null && !databases.isBlank()) {
            p.setProperty("database.include.list", databases);
        }
        if (tables != null && !tables.isBlank()) {
            p.setProperty("table.include.list", tables);
        }
        if (excludeColumns != null && !excludeColumns.isBlank()) {
            // read from neither the full load nor the binlog: the column is absent from every change, as if dropped
            p.setProperty("column.exclude.list", excludeColumns);
        }
        p.setProperty("snapshot.mode", snapshotMode);
        // the global read lock is held only while the schema is read, not while rows are copied
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("max.batch.size", String.valueOf(maxBatchSize));
        p.setProperty("max.queue.size", String.valueOf(Math.max(8192, maxBatchSize * 4)));
        if (heartbeatIntervalMs > 0) {
            p.setProperty("heartbeat.interval.ms", String.valueOf(heartbeatIntervalMs));
        }
        // the database filters the full load with the row filter conditions
        p.putAll(rowFilters.snapshotProperties());
        additionalProperties.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        // Debezium never restarts the connector itself: an error ends the engine and the link restarts it
        // (BinlogConsumer), running FullLoadStart and showing retrying meanwhile; a restart inside Debezium would repeat
        // an interrupted full load behind their back. (Debezium 3.4's MySQL and MariaDB connectors retry nothing anyway:
        // their isRetriable ends on a null cause.)
        p.setProperty("errors.max.retries", "0");
        return DebeziumSettings.forFidelity(p);
    }

    @Override
    public List<PrecheckItem> precheck() {
        BinlogPrecheck check = new BinlogPrecheck(source(), selection, rowFilters, jdbcStateStore());
        List<PrecheckItem> items = check.run();
        if (check.serverTimeZone() != null) {
            serverTimeZone = check.serverTimeZone();
        }
        return items;
    }

    /**
     * Null when a JDBC state store, and with {@code source} the source server, answer within {@code timeoutMs};
     * otherwise what does not ({@link BinlogPrecheck#unreachable}).
     */
    String unreachable(boolean source, int timeoutMs) {
        return new BinlogPrecheck(source(), selection, rowFilters, jdbcStateStore()).unreachable(source, timeoutMs);
    }

    /** The source server's time zone as the last precheck (which runs at every start) read it; null before. */
    ZoneId serverTimeZone() {
        return serverTimeZone;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        BinlogConsumer consumer = new BinlogConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("mysql-binlog is a source: use it in 'from'");
    }

    Selection selection() {
        return selection;
    }

    RowFilters rowFilters() {
        return rowFilters;
    }

    /** The renames and name capitalization, {@code dts-default} as the sink's default. */
    ObjectNames objectNames() {
        return objectNames.withDefault(destinationNameCase);
    }

    /** Set by the control plane before the link starts; the link's own default when it runs without one. */
    @Override
    public void destinationNameCase(ObjectNameCase sinkDefault) {
        this.destinationNameCase = sinkDefault == null ? ObjectNameCase.SOURCE : sinkDefault;
    }

    BinlogComponent component() {
        return (BinlogComponent) getComponent();
    }

    public String getName() {
        return name;
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

    public long getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(long retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public long getMaxRetryBackoffMs() {
        return maxRetryBackoffMs;
    }

    public void setMaxRetryBackoffMs(long maxRetryBackoffMs) {
        this.maxRetryBackoffMs = maxRetryBackoffMs;
    }

    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    public void setAdditionalProperties(Map<String, Object> additionalProperties) {
        this.additionalProperties = additionalProperties;
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
