package io.sluice.binlog;

import io.sluice.base.PrecheckItem;
import io.sluice.base.Precheckable;
import io.sluice.base.ResumableSource;
import io.sluice.change.DestinationNameCase;
import io.sluice.change.ObjectNameCase;
import io.sluice.change.ObjectNames;
import io.sluice.change.RowFilters;
import io.sluice.change.SourceTimeZone;
import io.sluice.change.TablesWithoutKey;
import io.sluice.state.JdbcStateStore;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/** The MySQL binlog source (seed 004): its options are {@link BinlogOptions}. */
@UriEndpoint(scheme = "mysql-binlog", title = "MySQL binlog source", syntax = "mysql-binlog:name",
        consumerOnly = true, category = {Category.DATABASE})
public class BinlogEndpoint extends DefaultEndpoint implements Precheckable, DestinationNameCase.Source,
        TablesWithoutKey.Source, ResumableSource {

    private static final String MYSQL_CONNECTOR = "io.debezium.connector.mysql.MySqlConnector";
    private static final Set<String> STATE_STORES = Set.of("file", "jdbc");
    private static final Set<String> TABLES_WITHOUT_KEY = Set.of("refuse", "sync");
    private static final Set<String> SNAPSHOT_MODES = Set.of("initial", "no_data", "never", "when_needed",
            "initial_only", "schema_only", "recovery");

    @UriPath(description = "Logical server name: Debezium's topic.prefix (letters, digits, _ - .)") @Metadata(required = true)
    private final String name;
    @UriParam
    private final BinlogOptions options;

    private Selection selection;
    /** Parsed by validate(); none until then (an endpoint built without Camel, as in tests, has no filters). */
    private RowFilters rowFilters = RowFilters.parse(null);
    private ObjectNames objectNames;
    /** The sink's capitalization for {@code objectNameCase=dts-default}, set by the control plane. */
    private volatile ObjectNameCase destinationNameCase = ObjectNameCase.SOURCE;
    /** What a table without a key means in the link's sink, set by the control plane; null when the sink says nothing. */
    private volatile String sinkWithoutKey;
    /** Read by the precheck at each start; handed to the sink with every batch ({@link SourceTimeZone}). */
    private volatile ZoneId serverTimeZone;
    /** Whether the source offered TLS to the last precheck's connection; null before (see {@link #engineProperties}). */
    private volatile Boolean serverOffersTls;

    BinlogEndpoint(String uri, BinlogComponent component, String name, BinlogOptions options) {
        super(uri, component);
        this.name = name;
        this.options = options;
    }

    void validate() {
        options.validateRetryTimes();
        if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
            throw new IllegalArgumentException("mysql-binlog needs a name of letters, digits, _ - . : mysql-binlog:<name>");
        }
        source();
        String snapshotMode = options.getSnapshotMode();
        if (!SNAPSHOT_MODES.contains(snapshotMode)) {
            throw new IllegalArgumentException("snapshotMode '" + snapshotMode + "' is not one of " + SNAPSHOT_MODES);
        }
        if (!TABLES_WITHOUT_KEY.contains(options.getTablesWithoutKey())) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": tablesWithoutKey must be refuse (the default: "
                    + "a selected table without a primary or unique key fails the precheck) or sync (synchronise it, the "
                    + "precheck warns), not '" + options.getTablesWithoutKey() + "'");
        }
        selection = new Selection(options.getDatabases(), options.getTables(), options.getOperations(),
                options.getTableOperations());
        // a condition that does not parse or names an unknown column fails the link's start (its precheck)
        rowFilters = RowFilters.parse(options.getFilters());
        objectNames = ObjectNames.parse(options.getRenameDatabases(), options.getRenameTables(), options.getRenameColumns(),
                options.getObjectNameCase());
        validateStateStore();
    }

    /** The state store options: refused when the link is added, each message naming the option and the fix. */
    void validateStateStore() {
        String stateStore = options.getStateStore();
        String stateJdbcUrl = options.getStateJdbcUrl();
        if (stateStore != null && !STATE_STORES.contains(stateStore)) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": stateStore '" + stateStore + "' is not file "
                    + "or jdbc; file keeps positions in <sluice.state.dir>/<link id>/, jdbc in the database "
                    + "stateJdbcUrl; without it the link follows the application's store (sluice.state.store)");
        }
        boolean jdbc = "jdbc".equals(stateStore);
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
        if (!jdbc && (stateJdbcUrl != null || options.getStateJdbcUser() != null || options.getStateJdbcPassword() != null)) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": stateJdbcUrl, stateJdbcUser and "
                    + "stateJdbcPassword are used only with stateStore=jdbc; set stateStore=jdbc or remove them");
        }
    }

    /**
     * The JDBC state store of the link's stateStore=jdbc, or without a stateStore option the application's
     * ({@code sluice.state.store=jdbc}); null for the file store.
     */
    JdbcStateStore jdbcStateStore() {
        if (options.getStateStore() == null) {
            return component().state().jdbc();
        }
        return "jdbc".equals(options.getStateStore())
                ? new JdbcStateStore(options.getStateJdbcUrl(), options.getStateJdbcUser(), options.getStateJdbcPassword())
                : null;
    }

    /** Where the link's positions are kept, for comparing two definitions: the kind and, for a database, which one. */
    private String positionStore() {
        JdbcStateStore jdbc = jdbcStateStore();
        return jdbc == null ? "file" : "jdbc " + jdbc.where();
    }

    MySqlConfig.MysqlSource source() {
        String dataSource = options.getDataSource();
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
        tls(dataSource, s);
        return s;
    }

    /** The TLS settings of the link's data source ({@code sluice.mysql.<name>.ssl-*}). */
    SourceTls tls() {
        return tls(options.getDataSource(), source());
    }

    private SourceTls tls(String dataSource, MySqlConfig.MysqlSource s) {
        try {
            return SourceTls.of(dataSource, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mysql-binlog:" + name + ": " + e.getMessage(), e);
        }
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
        p.setProperty("offset.flush.interval.ms", String.valueOf(options.getOffsetFlushIntervalMs()));
        p.setProperty("database.hostname", s.host());
        p.setProperty("database.port", String.valueOf(s.port()));
        p.setProperty("database.user", s.username());
        p.setProperty("database.password", s.password().orElse(""));
        p.setProperty("database.server.id", String.valueOf(options.getServerId() != null ? options.getServerId() : s.serverId()));
        // only the MariaDB connector needs to know: the MySQL connector has preferred itself
        p.putAll(tls().debeziumProperties(s.flavor(), !mariadb || serverOffersTls(), stateDir(link)));
        p.setProperty("topic.prefix", name);
        setUnlessBlank(p, "database.include.list", options.getDatabases());
        setUnlessBlank(p, "table.include.list", options.getTables());
        // read from neither the full load nor the binlog: the column is absent from every change, as if dropped
        setUnlessBlank(p, "column.exclude.list", options.getExcludeColumns());
        p.setProperty("snapshot.mode", options.getSnapshotMode());
        // the global read lock is held only while the schema is read, not while rows are copied
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("max.batch.size", String.valueOf(options.getMaxBatchSize()));
        // Debezium's poller sleeps poll.interval.ms (500 by default) each time it finds its queue empty, so a change
        // arriving alone waited up to half a second (p50 ~240 ms at 5,000 rows/s). A busy queue never sleeps: what is
        // queued is drained up to max.batch.size at once, so bursts keep their large batches; an idle link looks
        // every 5 ms, which costs next to nothing
        p.setProperty("poll.interval.ms", "5");
        p.setProperty("max.queue.size", String.valueOf(Math.max(8192, options.getMaxBatchSize() * 4)));
        if (options.getHeartbeatIntervalMs() > 0) {
            p.setProperty("heartbeat.interval.ms", String.valueOf(options.getHeartbeatIntervalMs()));
        }
        // the database filters the full load with the row filter conditions
        p.putAll(rowFilters.snapshotProperties());
        // tables added to the running link get their full load through an incremental snapshot (AddedTables),
        // signalled in process and watermarked with the server's GTID positions, so nothing is written to the source.
        // MariaDB always has GTIDs; for MySQL (gtid_mode=ON needed) it is set only while tables are loaded
        if (mariadb) {
            p.setProperty("read.only", "true");
        }
        p.setProperty("signal.enabled.channels", "in-process");
        p.setProperty("signal.poll.interval.ms", "1000");
        options.getAdditionalProperties().forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        if (!List.of(p.getProperty("signal.enabled.channels").split(",")).contains("in-process")) {
            p.setProperty("signal.enabled.channels", p.getProperty("signal.enabled.channels") + ",in-process");
        }
        // Debezium never restarts the connector itself: an error ends the engine and the link restarts it
        // (BinlogConsumer), running FullLoadStart and showing retrying meanwhile; a restart inside Debezium would repeat
        // an interrupted full load behind their back. (Debezium 3.4's MySQL and MariaDB connectors retry nothing anyway:
        // their isRetriable ends on a null cause.)
        p.setProperty("errors.max.retries", "0");
        return DebeziumSettings.forFidelity(p);
    }

    /**
     * Whether the source offers TLS, as the precheck (run at every start, just before the engine's settings are made)
     * found it; asked here when no precheck ran. Only ssl-mode=preferred on the MariaDB connector depends on it.
     */
    private boolean serverOffersTls() {
        Boolean offered = serverOffersTls;
        if (offered != null || tls().mode() != SourceTls.Mode.PREFERRED) {
            return offered == null || offered;
        }
        try (java.sql.Connection c = MySqlConnections.open(source(), tls(), 10_000, 10_000)) {
            serverOffersTls = SourceTls.encryption(c) != null;
            return serverOffersTls;
        } catch (java.sql.SQLException e) {
            return true; // Debezium then fails to connect too, and says why, as the link's error
        }
    }

    private static void setUnlessBlank(Properties p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.setProperty(key, value);
        }
    }

    @Override
    public List<PrecheckItem> precheck() {
        BinlogPrecheck check = new BinlogPrecheck(source(), tls(), selection, rowFilters, jdbcStateStore())
                .tablesWithoutKey("sync".equals(options.getTablesWithoutKey()), sinkWithoutKey);
        List<PrecheckItem> items = check.run();
        if (check.serverTimeZone() != null) {
            serverTimeZone = check.serverTimeZone();
        }
        if (check.serverOffersTls() != null) {
            serverOffersTls = check.serverOffersTls();
        }
        return items;
    }

    /**
     * Null when a JDBC state store, and with {@code source} the source server, answer within {@code timeoutMs};
     * otherwise what does not ({@link BinlogPrecheck#unreachable}).
     */
    String unreachable(boolean source, int timeoutMs) {
        return new BinlogPrecheck(source(), tls(), selection, rowFilters, jdbcStateStore()).unreachable(source, timeoutMs);
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

    /**
     * The link's position is Debezium's offsets (and schema history) for one server, kept under the logical name in the
     * state store. A new definition keeps it when it reads the same data source under the same name and store: a
     * removed table is simply no longer read, and an added table gets its full load through an incremental snapshot
     * while the others stream on ({@link AddedTables}). An added database is refused: its tables' schemas may not be in
     * the link's schema history (Debezium records the DDL of the databases it captures), and a change read before its
     * table's snapshot would stop the link.
     */
    @Override
    public String positionLostBy(Endpoint replacement) {
        if (!(replacement instanceof BinlogEndpoint next)) {
            return "it would read " + replacement.getEndpointBaseUri() + " instead of the binlog of data source '"
                    + options.getDataSource() + "', and the link's position is that server's binlog position. Add a new "
                    + "link for the new source and delete this one";
        }
        List<String> kept = new ArrayList<>();
        if (!Objects.equals(options.getDataSource(), next.options.getDataSource())) {
            kept.add("dataSource '" + options.getDataSource() + "'");
        }
        if (!name.equals(next.name)) {
            kept.add("the name " + name + " (mysql-binlog:" + name + ", under which the offsets are kept)");
        }
        if (!positionStore().equals(next.positionStore())) {
            kept.add("stateStore " + (jdbcStateStore() == null ? "file" : "jdbc") + " (where the offsets are kept)");
        }
        if (!kept.isEmpty()) {
            return "the new definition changes what the link's binlog position belongs to. Keep " + String.join(", ", kept)
                    + ", or add a new link (it runs its own full load) and delete this one";
        }
        List<String> added = Selection.added(options.getDatabases(), next.options.getDatabases());
        if (!added.isEmpty()) {
            return "the new definition adds databases (" + String.join(", ", added) + "), whose tables' schemas the "
                    + "link's schema history may not hold. Keep 'databases' as it is and add a second link for the new "
                    + "databases; tables added to 'tables' (within the selected databases) get their full load while "
                    + "the link streams on";
        }
        return null;
    }

    /** Set by the control plane before the link starts; the link's own default when it runs without one. */
    @Override
    public void destinationNameCase(ObjectNameCase sinkDefault) {
        this.destinationNameCase = sinkDefault == null ? ObjectNameCase.SOURCE : sinkDefault;
    }

    /** Set by the control plane before the link starts or is prechecked. */
    @Override
    public void sinkWithoutKey(String meaning) {
        this.sinkWithoutKey = meaning;
    }

    BinlogComponent component() {
        return (BinlogComponent) getComponent();
    }

    public String getName() {
        return name;
    }

    public BinlogOptions getOptions() {
        return options;
    }
}
