package io.sluice.binlog;

import io.sluice.base.FullLoadProgress;
import io.sluice.base.LinkStats;
import io.sluice.change.ChangeEvent;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A binlog link's full-load progress ({@link FullLoadProgress} on the link's stats), from two places: Debezium's
 * snapshot metrics MBean (registered by the embedded engine too) says which tables the full load copies and when
 * Debezium finished reading them; Sluice's own delivery counts the rows the sink accepted per table and sees each
 * table's last row (Debezium marks it). The metrics' own row counts are not used: Debezium updates them every
 * 10 s while a table is read, and they count rows read, not rows the sink accepted. The estimate is
 * {@code information_schema.TABLES.TABLE_ROWS}, read once when the tables are known.
 *
 * <p>One per start of the binlog reader; nothing is reported unless Debezium runs a full load (a start from stored
 * offsets keeps the progress of an earlier full load in this process). Called on the delivery thread only.
 */
final class FullLoadWatch {

    private static final Logger LOG = Logger.getLogger(FullLoadWatch.class);
    /** How often the snapshot metrics are read (a JMX attribute read each; the delivery loop turns every 100 ms). */
    private static final long POLL_MS = 1_000;

    private final String link;
    private final String server;
    private final MySqlConfig.MysqlSource source;
    private final SourceTls tls;
    private final Supplier<LinkStats> stats;
    private final Selection selection;
    private FullLoadProgress progress;
    private boolean estimated;
    /** The load is an incremental snapshot of added tables ({@link #incremental}). */
    private boolean incremental;
    private long lastPollMs;

    /** The snapshot rows of one batch, per source table ({@code db.table}), and the tables whose last row it has. */
    record Rows(Map<String, Long> perTable, Set<String> tablesEnded, boolean loadEnded) {
    }

    FullLoadWatch(String link, String server, MySqlConfig.MysqlSource source, SourceTls tls, Supplier<LinkStats> stats,
                  Selection selection) {
        this.link = link;
        this.server = server;
        this.source = source;
        this.tls = tls;
        this.stats = stats;
        this.selection = selection;
    }

    /**
     * Whether {@code table} ({@code db.table}) is one the link loads: the snapshot's schema records cover every table
     * of the database (seen: a one-table link of empty tables listing two), so what they name is narrowed to the
     * link's own selection.
     */
    private boolean selected(String table) {
        int dot = table.indexOf('.');
        return dot > 0 && selection.tableSelected(table.substring(0, dot), table.substring(dot + 1));
    }

    /**
     * The full-load rows among a batch's change events (as Debezium named their tables, before renames), null when it
     * has none. {@code records} are the batch's Debezium records, for the markers of each table's last row.
     */
    Rows rows(java.util.List<ChangeEvent> sourceEvents, java.util.List<SourceRecord> records) {
        Map<String, Long> perTable = null;
        for (ChangeEvent e : sourceEvents) {
            if (e.position().snapshot() && !e.isDdl()) {
                if (perTable == null) {
                    perTable = new HashMap<>();
                }
                perTable.merge(e.database() + "." + e.table(), 1L, Long::sum);
            }
        }
        Set<String> ended = new java.util.HashSet<>();
        boolean loadEnded = false;
        for (SourceRecord r : records) {
            DebeziumChangeEvents.SnapshotEnd end = DebeziumChangeEvents.snapshotEnd(r);
            if (end != null) {
                // the marker can sit on a schema record of a table the link does not load (the snapshot's DDL of
                // the whole database, when its tables are empty): such a table is not one of the load's
                if (selected(end.table())) {
                    ended.add(end.table());
                }
                loadEnded |= end.lastOfLoad();
            }
        }
        return perTable == null && ended.isEmpty() ? null : new Rows(perTable == null ? Map.of() : perTable, ended, loadEnded);
    }

    /** A batch the sink accepted: its full-load rows count as copied. */
    void accepted(Rows rows) {
        if (rows == null) {
            return;
        }
        if (!estimated && progress == null) {
            // once, before the first report: the load's table list first: shown with only the tables whose rows came so far, a load of two tables
            // would read "0/1" until the next read of the metrics
            lastPollMs = 0;
            poll();
        }
        FullLoadProgress p = started();
        rows.perTable().forEach(p::copied);
        rows.tablesEnded().forEach(p::tableDone);
        if (rows.loadEnded()) {
            p.completed();
        }
    }

    /**
     * This run loads tables added to the running link ({@link AddedTables}) by an incremental snapshot: the progress
     * shows those tables, with their estimates, as a new full load. Debezium's snapshot metrics are not read for it:
     * they list every captured table, and the tables' completion is told by {@link #tableDone} and
     * {@link #incrementalDone}.
     */
    void incremental(java.util.List<String> tables) {
        incremental = true;
        estimated = true;
        started().tables(estimates(tables.toArray(String[]::new)));
    }

    /** Every row of an added table was accepted. */
    void tableDone(String table) {
        started().tableDone(table);
    }

    /** The tables added to the running link are loaded. */
    void incrementalDone() {
        started().completed();
    }

    /**
     * Reads Debezium's snapshot metrics (at most every {@value #POLL_MS} ms): a running full load is reported with
     * its tables and their estimates, and a finished one whose rows were all accepted is complete (a full load of
     * empty tables has no last row to mark).
     */
    void poll() {
        try {
            readMetrics();
        } catch (RuntimeException e) { // the progress is for people: it never stops the link
            LOG.debugf(e, "link %s: Debezium's snapshot metrics could not be read", link);
        }
    }

    private void readMetrics() {
        long now = System.currentTimeMillis();
        if (incremental || now - lastPollMs < POLL_MS || (progress != null && progress.isCompleted())) {
            return;
        }
        lastPollMs = now;
        Map<String, Object> m = snapshotMetrics();
        if (m == null) {
            return;
        }
        boolean running = Boolean.TRUE.equals(m.get("SnapshotRunning"));
        boolean completed = Boolean.TRUE.equals(m.get("SnapshotCompleted"));
        if (!running && !completed && progress == null) {
            return; // no full load in this start of the reader
        }
        FullLoadProgress p = started();
        String[] selected = m.get("CapturedTables") instanceof String[] captured
                ? java.util.Arrays.stream(captured).filter(this::selected).toArray(String[]::new) : new String[0];
        if (!estimated && selected.length > 0) {
            p.tables(estimates(selected));
            estimated = true;
        }
        if (completed && p.view().rowsCopied() >= rowsRead(m.get("RowsScanned"))) {
            p.completed();
        }
    }

    /** The sum of Debezium's rows read per table: a map, which JMX hands over as a table of key and value. */
    private static long rowsRead(Object rowsScanned) {
        long sum = 0;
        if (rowsScanned instanceof javax.management.openmbean.TabularData table) {
            for (Object row : table.values()) {
                if (row instanceof javax.management.openmbean.CompositeData entry && entry.get("value") instanceof Number n) {
                    sum += n.longValue();
                }
            }
        } else if (rowsScanned instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                sum += v instanceof Number n ? n.longValue() : 0;
            }
        }
        return sum;
    }

    private FullLoadProgress started() {
        if (progress == null) {
            progress = new FullLoadProgress();
            stats.get().fullLoad(progress);
        }
        return progress;
    }

    /** The attributes of Debezium's snapshot metrics for this reader's logical server name, or null. */
    private Map<String, Object> snapshotMetrics() {
        try {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = jmx.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=snapshot,server="
                    + server + ",*"), null); // a server name is letters, digits, _ - . (BinlogEndpoint)
            if (names.size() != 1) {
                return null; // not registered yet (or two readers of one name: Debezium registers only the first)
            }
            ObjectName name = names.iterator().next();
            Map<String, Object> out = new LinkedHashMap<>();
            for (String a : new String[] {"SnapshotRunning", "SnapshotCompleted", "CapturedTables", "RowsScanned"}) {
                out.put(a, jmx.getAttribute(name, a));
            }
            return out;
        } catch (javax.management.JMException | RuntimeException e) {
            LOG.debugf(e, "link %s: Debezium's snapshot metrics cannot be read; the full load shows delivered rows only", link);
            return null;
        }
    }

    /** information_schema's row estimate of each table ({@code db.table}); 0 where it cannot be read. */
    private Map<String, Long> estimates(String[] tables) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : tables) {
            out.put(t, 0L);
        }
        try (Connection c = MySqlConnections.open(source, tls, 5_000, 10_000);
             PreparedStatement st = c.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES "
                     + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            for (String t : tables) {
                int dot = t.indexOf('.');
                if (dot < 0) {
                    continue;
                }
                st.setString(1, t.substring(0, dot));
                st.setString(2, t.substring(dot + 1));
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        out.put(t, rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debugf("link %s: no row estimates for the full load: %s", link, e.getMessage());
        }
        return out;
    }
}
