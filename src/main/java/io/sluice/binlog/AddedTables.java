package io.sluice.binlog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.sluice.base.Errors;
import io.sluice.base.LinkHaltException;
import io.sluice.change.ChangeEvent;
import io.sluice.state.JdbcStateStore;
import io.sluice.state.StateDocument;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The full load of tables added to a link that already streams (seed 004's "Modify the objects to be synchronized",
 * through {@code PUT /api/links/{id}}): Debezium's incremental snapshot copies their rows in chunks while every table
 * streams on from the link's binlog position, so the tables it had lose and repeat nothing.
 *
 * <p>Next to the link's offsets (same store: {@link StateDocument}) it keeps the include lists whose tables the position
 * covers ({@code databases}, {@code tables}) and the tables whose incremental snapshot is asked for and not known to be
 * complete ({@code loading}). At every start, before the engine runs ({@link #beforeEngineStart}):
 * <ul>
 * <li>no stored position, an initial full load still running, or a snapshot mode without full load: what Debezium
 *     does covers the current selection, which is recorded as covered;</li>
 * <li>otherwise the tables of the server that the current selection selects and the covered one did not are added.
 *     Those with rows join {@code loading} (an empty one needs no load: a row it gets later is written after the
 *     stored position, and its table is read from the binlog now), and loading tables no longer selected leave it.
 *     The current lists are recorded before the engine starts, so that a crash after it forgets no added table.</li>
 * </ul>
 * Once the engine runs, the loading tables that the stored offset does not list as being snapshotted (Debezium resumes
 * those itself, from the chunk it stopped at) are signalled through Debezium's in-process channel
 * ({@code execute-snapshot}, {@code incremental}): no signalling table, nothing written to the source. The snapshot's
 * watermarks are the server's GTID positions ({@code read.only=true}; MariaDB always has GTIDs, MySQL needs
 * {@code gtid_mode=ON}), so each chunk is read between two positions and a binlog change of a key in it, inside that
 * window, replaces the chunk's row: a table's rows and changes arrive in order.
 *
 * <p>A table's load is complete once a marked record's offset no longer lists it after an earlier one had
 * ({@link #marked}): its last chunk was accepted by the sink. Only then does it leave {@code loading}; the offset the
 * engine commits later says the same, and a crash before that commit leaves an offset that still lists the table, from
 * which Debezium continues. A signal lost with a stop (Debezium keeps signals in memory) is sent again on the next start.
 */
final class AddedTables {

    private static final Logger LOG = Logger.getLogger(AddedTables.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "added-tables.json";
    /** Debezium's offset entry listing the tables of a running incremental snapshot (a JSON array), and their key. */
    static final String COLLECTIONS = "incremental_snapshot_collections";
    private static final String COLLECTION_ID = "incremental_snapshot_collections_id";
    /** Snapshot modes under which the link loads no rows at all: an added table gets no full load either. */
    private static final Set<String> NO_FULL_LOAD = Set.of("no_data", "never", "schema_only");
    private static final long SIGNAL_RETRY_MS = 500;

    /** What is stored: the include lists the position covers, and the added tables whose load is not complete. */
    record State(String databases, String tables, List<String> loading) {
    }

    private final String link;
    private final StateDocument store;
    private State state;
    /** The tables being loaded ({@code db.table} as the server names them), in the order Debezium loads them. */
    private final List<String> loading = new ArrayList<>();
    private List<String> toSignal = List.of();
    /** Tables whose load the stored offset lists and which are no longer selected: their snapshot is stopped. */
    private List<String> toStop = List.of();
    /** Loading tables that a marked record's offset listed (lower case). */
    private final Set<String> seen = new HashSet<>();
    /** Loading tables whose load this run continues from the chunk the stored offset names (lower case). */
    private Set<String> resumed = Set.of();
    private FullLoadWatch watch;
    private volatile boolean closed;
    /** The last offset entry parsed, and its tables (offsets of consecutive records mostly share it). */
    private Object lastCollections;
    private Set<String> lastIds = Set.of();

    private AddedTables(String link, StateDocument store) {
        this.link = link;
        this.store = store;
    }

    /** The state of link {@code link}: in {@code jdbc} when given, else in the state directory {@code dir}. */
    static AddedTables of(String link, JdbcStateStore jdbc, Path dir) {
        return new AddedTables(link, jdbc != null ? StateDocument.jdbc(jdbc, link + "/added-tables")
                : StateDocument.file(dir.resolve(FILE)));
    }

    /**
     * Before the engine starts: decides which added tables need their rows loaded and records the current selection as
     * covered. {@code offset} is the stored offset (null for none), {@code selection} the link's current one.
     */
    void beforeEngineStart(Map<String, Object> offset, BinlogOptions options, Selection selection,
                           MySqlConfig.MysqlSource source, SourceTls tls) {
        try {
            decide(offset, options, selection, source, tls);
        } catch (LinkHaltException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("link " + link + ": the tables added to its selection could not be "
                    + "determined on the source (" + Errors.describe(e) + "); the link starts once the source answers, "
                    + "and an added table then gets its full load", e);
        }
    }

    private void decide(Map<String, Object> offset, BinlogOptions options, Selection selection,
                        MySqlConfig.MysqlSource source, SourceTls tls) throws Exception {
        String text = store.load();
        State stored = text == null ? null : JSON.readValue(text, State.class);
        if (stored == null || offset == null || FullLoadStart.isSnapshot(offset)
                || NO_FULL_LOAD.contains(options.getSnapshotMode())) {
            save(new State(options.getDatabases(), options.getTables(), List.of()));
            return;
        }
        Set<String> running = collections(offset);
        Selection covered = new Selection(stored.databases(), stored.tables(), null, null);
        Set<String> stopped = new HashSet<>();
        for (String t : stored.loading() == null ? List.<String>of() : stored.loading()) {
            if (selected(selection, t)) {
                loading.add(t);
            } else {
                stopped.add(t);
            }
        }
        List<String> added = new ArrayList<>();
        List<String> keyless = new ArrayList<>();
        if (!sameLists(stored, options)) {
            try (Connection c = MySqlConnections.open(source, tls, 10_000, 60_000)) {
                for (String t : tablesOf(c, selection)) {
                    if (!selected(covered, t) && loading.stream().noneMatch(t::equalsIgnoreCase)) {
                        if (!hasRows(c, t)) {
                            LOG.infof("link %s: table %s was added to its selection; it is empty, so it needs no full "
                                    + "load: its rows are read from the binlog", link, t);
                        } else if (hasPrimaryKey(c, t)) {
                            added.add(t);
                        } else {
                            keyless.add(t);
                        }
                    }
                }
            }
        }
        if (!keyless.isEmpty()) {
            // nothing recorded: the next start checks again, after the fix
            throw new LinkHaltException("link " + link + ": the table(s) " + keyless + " added to its selection have "
                    + "rows and no primary key, and a table added to a running link is loaded in chunks of its primary "
                    + "key (Debezium's incremental snapshot). Give them a primary key, or take them out of 'tables' "
                    + "again and add a second link for them (its initial full load needs no key)");
        }
        loading.addAll(added);
        save(new State(options.getDatabases(), options.getTables(), List.copyOf(loading)));
        toSignal = loading.stream().filter(t -> !running.contains(key(t))).toList();
        loading.stream().filter(t -> running.contains(key(t))).forEach(t -> seen.add(key(t)));
        resumed = Set.copyOf(seen);
        toStop = stopped.stream().filter(t -> running.contains(key(t))).toList();
        if (!stopped.isEmpty()) {
            LOG.infof("link %s: tables %s were taken out of its selection before their full load completed: their "
                    + "load is stopped, and nothing more of them is delivered", link, stopped);
        }
        if (!loading.isEmpty()) {
            LOG.infof("link %s: full load of the tables added to its selection: %s (signalled now: %s; the others "
                    + "continue from the chunk they reached), while every table streams from the binlog position",
                    link, loading, toSignal);
        }
    }

    private static boolean sameLists(State stored, BinlogOptions options) {
        return java.util.Objects.equals(blankToNull(stored.databases()), blankToNull(options.getDatabases()))
                && java.util.Objects.equals(blankToNull(stored.tables()), blankToNull(options.getTables()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * {@code event} as the sink is to see it: a full-load row of a table whose load this run continues (the stored
     * offset listed it) says so ({@link io.sluice.change.SourcePosition#loadContinued}), so that a sink that empties a
     * table's destination when its load starts keeps the rows delivered before the restart.
     */
    Optional<ChangeEvent> continued(Optional<ChangeEvent> event) {
        if (resumed.isEmpty() || event.isEmpty() || !event.get().position().snapshot()
                || !resumed.contains(key(event.get().database() + "." + event.get().table()))) {
            return event;
        }
        ChangeEvent e = event.get();
        return Optional.of(new ChangeEvent(e.database(), e.table(), e.operation(), e.columns(), e.before(), e.after(),
                e.ddl(), e.position().asLoadContinued(), e.schemaChange()));
    }

    /** Whether tables are being loaded in this run of the engine. */
    boolean loading() {
        return !loading.isEmpty();
    }

    /**
     * The engine settings a run with tables to load needs beyond the link's own: GTID watermarks (MariaDB has them set
     * always, see {@link BinlogEndpoint#engineProperties}), and a binlog heartbeat from the server every 2 s, since a
     * chunk's window closes only when the binlog moves past its high watermark and an idle server would otherwise
     * move it once a minute (the keep-alive interval the heartbeat period derives from). A value the user set stays.
     */
    void adjust(Properties engine) {
        if (loading()) {
            engine.setProperty("read.only", "true");
            engine.putIfAbsent("connect.keep.alive.interval.ms", "2500");
        }
    }

    /** The progress of this load: the loading tables with their estimates ({@link FullLoadWatch#incremental}). */
    void watch(FullLoadWatch w) {
        watch = w;
        if (loading()) {
            w.incremental(loading);
        }
    }

    /**
     * Once the engine runs: asks Debezium to stop the incremental snapshot of the tables no longer selected and to
     * start that of the tables to signal, on a thread of its own that tries until the engine's connector task and its
     * in-process signal channel are up (or this run ends).
     */
    void signal(Supplier<DebeziumEngine<?>> engine) {
        List<DebeziumEngine.Signal> signals = new ArrayList<>();
        if (!toStop.isEmpty()) {
            signals.add(signal("stop-snapshot", toStop));
        }
        if (!toSignal.isEmpty()) {
            signals.add(signal("execute-snapshot", toSignal));
        }
        if (signals.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            int sent = 0;
            while (!closed && sent < signals.size()) {
                try {
                    DebeziumEngine<?> e = engine.get();
                    if (e != null) {
                        e.getSignaler().signal(signals.get(sent));
                        LOG.infof("link %s: Debezium asked to %s %s", link, signals.get(sent).type(), signals.get(sent).data());
                        sent++;
                        continue;
                    }
                } catch (RuntimeException notYet) {
                    // the connector task, or its signal channel, is not started yet
                    LOG.debugf("link %s: signal not taken yet: %s", link, notYet.getMessage());
                }
                try {
                    Thread.sleep(SIGNAL_RETRY_MS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }, "sluice-signal-" + link);
        t.setDaemon(true);
        t.start();
    }

    /** A signal of Debezium's {@code type} for the incremental snapshot of {@code tables}. */
    private DebeziumEngine.Signal signal(String type, List<String> tables) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "incremental");
        // exact names: Debezium reads each entry as a regular expression over the tables it knows
        data.put("data-collections", tables.stream().map(AddedTables::exactly).toList());
        try {
            return new DebeziumEngine.Signal("sluice-" + link + "-" + UUID.randomUUID(), type,
                    JSON.writeValueAsString(data), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This run of the engine ends: a signal not yet taken is not sent (the next start sends it again). */
    void close() {
        closed = true;
    }

    /**
     * A batch was marked (the delivery thread): the loading tables its records' offsets list have started, and those
     * that started and are no longer listed are complete.
     */
    void marked(List<RecordChangeEvent<SourceRecord>> records) {
        if (loading.isEmpty()) {
            return;
        }
        List<String> done = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> r : records) {
            Map<String, ?> offset = r.record().sourceOffset();
            if (offset == null) {
                continue;
            }
            Set<String> running = collections(offset);
            for (String t : loading) {
                String k = key(t);
                if (running.contains(k)) {
                    seen.add(k);
                } else if (seen.contains(k) && !done.contains(t)) {
                    done.add(t);
                }
            }
        }
        if (done.isEmpty()) {
            return;
        }
        loading.removeAll(done);
        try {
            save(new State(state.databases(), state.tables(), List.copyOf(loading)));
        } catch (Exception e) {
            throw new IllegalStateException("the completed full load of " + done + " could not be recorded ("
                    + Errors.describe(e) + ")", e);
        }
        LOG.infof("link %s: full load of added table(s) %s complete%s", link, done,
                loading.isEmpty() ? "" : "; still loading " + loading);
        if (watch != null) {
            done.forEach(watch::tableDone);
            if (loading.isEmpty()) {
                watch.incrementalDone();
            }
        }
    }

    private void save(State s) throws Exception {
        store.save(JSON.writeValueAsString(s));
        state = s;
    }

    /** The tables (lower case) a Debezium offset lists as being snapshotted incrementally. */
    private Set<String> collections(Map<String, ?> offset) {
        Object entry = offset.get(COLLECTIONS);
        if (entry == null) {
            return Set.of();
        }
        if (entry.equals(lastCollections)) {
            return lastIds;
        }
        Set<String> ids = new HashSet<>();
        try {
            List<Map<String, Object>> list = JSON.readValue(entry.toString(), new TypeReference<>() {
            });
            for (Map<String, Object> c : list) {
                if (c.get(COLLECTION_ID) != null) {
                    ids.add(key(c.get(COLLECTION_ID).toString()));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Debezium's offset entry " + COLLECTIONS + " is not the JSON list it writes: "
                    + entry, e);
        }
        lastCollections = entry;
        lastIds = ids;
        return ids;
    }

    private static String key(String table) {
        return table.toLowerCase(Locale.ROOT);
    }

    private static boolean selected(Selection s, String table) {
        int dot = table.indexOf('.');
        return dot > 0 && s.tableSelected(table.substring(0, dot), table.substring(dot + 1));
    }

    /** The base tables of the server that {@code selection} selects, as {@code db.table}. */
    private static List<String> tablesOf(Connection c, Selection selection) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
                     + "WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            while (rs.next()) {
                String db = rs.getString(1);
                if (!MySqlConnections.SYSTEM_DATABASES.contains(db.toLowerCase(Locale.ROOT))
                        && selection.tableSelected(db, rs.getString(2))) {
                    out.add(db + "." + rs.getString(2));
                }
            }
        }
        return out;
    }

    private static boolean hasRows(Connection c, String table) throws SQLException {
        int dot = table.indexOf('.');
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM " + quoted(table.substring(0, dot)) + "."
                     + quoted(table.substring(dot + 1)) + " LIMIT 1")) {
            return rs.next();
        }
    }

    private static boolean hasPrimaryKey(Connection c, String table) throws SQLException {
        int dot = table.indexOf('.');
        try (java.sql.PreparedStatement st = c.prepareStatement("SELECT 1 FROM information_schema.STATISTICS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY'")) {
            st.setString(1, table.substring(0, dot));
            st.setString(2, table.substring(dot + 1));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * {@code db.table} as a regular expression that matches that table only (Debezium's data-collections are
     * expressions over {@code db.table}; the dot is left as it is, so a plain name stays plain, which Debezium also
     * takes as the table's id should it match none it knows).
     */
    private static String exactly(String table) {
        int dot = table.indexOf('.');
        return escape(table.substring(0, dot)) + "." + escape(table.substring(dot + 1));
    }

    private static String escape(String name) {
        return name.replaceAll("([^A-Za-z0-9_])", "\\\\$1");
    }
}
