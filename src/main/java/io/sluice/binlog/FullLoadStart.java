package io.sluice.binlog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.RecordChangeEvent;
import io.sluice.state.JdbcStateStore;
import io.sluice.state.StateDocument;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the link's full load began, kept until the full load is known to be complete, so that one interrupted by a stop
 * or a crash leaves no row the source deleted meanwhile (phantom rows).
 *
 * <p>Debezium repeats an unfinished snapshot from its start, at a new binlog position, and streams from there: a row
 * that an interrupted attempt had sent and that was deleted before the repeated attempt read its table is in neither
 * the repeated full load nor the binlog after it, so no DELETE of it is ever sent. So the link keeps, in its own state
 * next to its offsets, the source offset (binlog file, position, GTID set) at which the <em>first</em> attempt of the
 * current full load began ({@code first}), and that of the latest attempt ({@code latest}), written before the
 * attempt's first record is delivered or marked. When an attempt completes and an earlier one began before it, the link
 * streams the binlog again from {@code first}: every change since the first attempt began, the deletes of the rows the
 * killed attempts sent included, arrives after the full load (those changes were never sent: no binlog was read
 * while the attempts ran; the few after the completed attempt's position sent before the restart arrive twice;
 * replayed in order, the last change of every key is the source's).
 *
 * <p>How, crash-safe at every step:
 * <ol>
 * <li>before the first snapshot record of an engine run is delivered: the state is written (created with
 *     {@code first = latest = } the record's position, or {@code latest} replaced, {@code first} kept);</li>
 * <li>once the first binlog record after the snapshot (a change or a heartbeat) is marked, so that the snapshot's
 *     completion is in the offset the engine commits when it stops, the consumer is restarted if {@code first} differs
 *     from {@code latest};</li>
 * <li>on every start, before the engine runs: with the state present and the stored offset a completed one (no
 *     {@code snapshot} key) other than the one stored when the latest attempt began, the stored offset is replaced by
 *     {@code first} as a plain binlog position (when it differs from {@code latest}), then the state is deleted. A kill between the two repeats the replacement on the next start;
 *     with the stored offset absent or still a snapshot's, the state stays and Debezium repeats the full load.</li>
 * </ol>
 * A full load that completed on its first attempt leaves the state until the next start deletes it, without touching
 * the offset: deleting it earlier could lose it before the engine had stored the snapshot's completion.
 *
 * <p>Debezium recovers the schema history up to {@code first}: the entries the first attempt recorded there are in the
 * history (it is append-only), the repeated attempt's entries are at its later position and not applied, and DDL since
 * {@code first} is read from the binlog again (its entries carry each table's whole definition, so applying them again
 * after the repeated attempt's on a later recovery ends at the same schema).
 */
final class FullLoadStart {

    private static final Logger LOG = Logger.getLogger(FullLoadStart.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "full-load-start.json";
    /** Debezium's offset keys that belong to a snapshot or a place inside a transaction, not to a binlog position. */
    private static final List<String> NOT_A_POSITION = List.of("snapshot", "snapshot_completed", "event", "row");

    /**
     * The positions at which the first and the latest attempt of the current full load began, and the offset stored
     * when the latest began ({@code base}, null for none): while the stored offset is still that one, the attempt has
     * not completed (a {@code when_needed} full load starts from a completed offset the server no longer has).
     */
    record State(Map<String, Object> first, Map<String, Object> latest, Map<String, Object> base) {
    }

    /** Where the state is kept: the link's state directory or the JDBC state store. */
    interface Store {
        State load() throws Exception;

        void save(State state) throws Exception;

        void delete() throws Exception;
    }

    private final String link;
    private final Store store;
    private final Properties engine;
    /** Debezium's source partition of the binlog connectors: the logical server name. */
    private final Map<String, Object> partition;
    /** The offset stored when this engine run started. */
    private Map<String, Object> offsetAtStart;
    /** This engine run's full-load attempt, once its first record was seen; null before (or without one). */
    private State attempt;
    private boolean completionSeen;

    private FullLoadStart(String link, Store store, Properties engine) {
        this.link = link;
        this.store = store;
        this.engine = engine;
        this.partition = Map.of("server", engine.getProperty("topic.prefix"));
    }

    /** The state of link {@code link}: in {@code jdbc} when given, else in the state directory {@code dir}. */
    static FullLoadStart of(String link, JdbcStateStore jdbc, Path dir, Properties engine) {
        return of(link, jdbc != null ? jdbcStore(jdbc, link) : fileStore(dir.resolve(FILE)), engine);
    }

    /** The state of link {@code link} in {@code store}, for the engine with these settings. */
    static FullLoadStart of(String link, Store store, Properties engine) {
        return new FullLoadStart(link, store, engine);
    }

    static Store fileStore(Path file) {
        return store(StateDocument.file(file));
    }

    static Store jdbcStore(JdbcStateStore jdbc, String link) {
        return store(StateDocument.jdbc(jdbc, link));
    }

    private static Store store(StateDocument text) {
        return new Store() {
            @Override
            public State load() throws Exception {
                String t = text.load();
                return t == null ? null : parse(t);
            }

            @Override
            public void save(State state) throws Exception {
                text.save(JSON.writeValueAsString(state));
            }

            @Override
            public void delete() throws Exception {
                text.delete();
            }
        };
    }

    private static State parse(String text) throws IOException {
        Map<String, Map<String, Object>> m = JSON.readValue(text, new TypeReference<>() {
        });
        return new State(m.get("first"), m.get("latest"), m.get("base"));
    }

    /**
     * Before the engine starts: a full load completed since the state was written is followed by the binlog from where
     * its first attempt began (the stored offset replaced), and the state deleted.
     */
    void beforeEngineStart() throws Exception {
        State s = store.load();
        try (StoredOffsets offsets = StoredOffsets.open(engine)) {
            Map<String, Object> stored = offsets.read(partition);
            offsetAtStart = stored;
            if (s == null) {
                return;
            }
            if (stored == null || isSnapshot(stored) || sameOffset(stored, s.base())) {
                LOG.infof("link %s: the full load that began at %s was interrupted; Debezium repeats it, and the binlog "
                        + "is then read from %s so that changes made during the interrupted attempts arrive", link,
                        describe(s.latest()), describe(s.first()));
                return;
            }
            if (!samePosition(s.first(), s.latest())) {
                offsets.write(partition, position(s.first()));
                LOG.infof("link %s: the full load completed (its last attempt began at %s); the binlog is read again "
                        + "from %s, where its first, interrupted attempt began, so that rows deleted meanwhile are "
                        + "deleted in the destination too (the changes since then arrive again)", link,
                        describe(s.latest()), describe(s.first()));
            }
        }
        store.delete();
    }

    /** The offset stored when this engine run started (read by {@link #beforeEngineStart}); null for none. */
    Map<String, Object> offsetAtStart() {
        return offsetAtStart;
    }

    /**
     * Before a batch of records is delivered or marked (the delivery thread): the first snapshot record of this engine
     * run records the attempt.
     */
    void beforeDelivering(List<RecordChangeEvent<SourceRecord>> records) {
        if (attempt != null || records.isEmpty()) {
            return;
        }
        Map<String, ?> offset = records.get(0).record().sourceOffset();
        if (offset == null || !isSnapshot(offset)) {
            return;
        }
        Map<String, Object> here = position(offset);
        State s;
        try {
            State before = store.load();
            s = new State(before != null ? before.first() : here, here, offsetAtStart);
            store.save(s);
        } catch (Exception e) {
            throw new IllegalStateException("the position at which the full load began could not be stored ("
                    + e.getMessage() + ")", e);
        }
        attempt = s;
        if (!samePosition(s.first(), here)) {
            LOG.infof("link %s: full load attempt at %s; its first attempt began at %s", link, describe(here),
                    describe(s.first()));
        }
    }

    /**
     * After a batch was marked (the delivery thread): true, once, when this engine run's full load is complete (a binlog
     * record after it marked) and an earlier attempt began elsewhere: the consumer must restart to read from there.
     */
    boolean replayNeeded(List<RecordChangeEvent<SourceRecord>> records) {
        if (attempt == null || completionSeen) {
            return false;
        }
        for (int i = records.size() - 1; i >= 0; i--) {
            Map<String, ?> offset = records.get(i).record().sourceOffset();
            if (offset != null) {
                if (isSnapshot(offset)) {
                    return false;
                }
                completionSeen = true;
                return !samePosition(attempt.first(), attempt.latest());
            }
        }
        return false;
    }

    /** Whether a Debezium offset is one of a running initial or blocking snapshot (an incremental one's is not). */
    static boolean isSnapshot(Map<String, ?> offset) {
        Object snapshot = offset.get("snapshot");
        return snapshot != null && !"false".equals(snapshot.toString()) && !"INCREMENTAL".equals(snapshot.toString())
                && !"true".equals(String.valueOf(offset.get("snapshot_completed")));
    }

    /** The binlog position of an offset: without its snapshot flags and its place inside a transaction. */
    static Map<String, Object> position(Map<String, ?> offset) {
        Map<String, Object> p = new HashMap<>(offset);
        NOT_A_POSITION.forEach(p::remove);
        return p;
    }

    /** Whether two offsets are the same (numbers compared by value, whatever their Java type). */
    private static boolean sameOffset(Map<String, Object> a, Map<String, Object> b) throws IOException {
        return b != null && JSON.readTree(JSON.writeValueAsString(a)).equals(JSON.readTree(JSON.writeValueAsString(b)));
    }

    static boolean samePosition(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(String.valueOf(a.get("file")), String.valueOf(b.get("file")))
                && Objects.equals(String.valueOf(a.get("pos")), String.valueOf(b.get("pos")))
                && Objects.equals(a.get("gtids"), b.get("gtids"));
    }

    static String describe(Map<String, Object> p) {
        return p.get("file") + ":" + p.get("pos") + (p.get("gtids") != null ? " (GTIDs " + p.get("gtids") + ")" : "");
    }
}
