package io.sluice.binlog;

import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FullLoadStart} on a real Debezium offsets file (Kafka's FileOffsetBackingStore, as the engine opens it), step
 * by step as engine runs would drive it, with a kill simulated between any two steps: the stored offset ends at the
 * first attempt's position once a repeated full load completed, and only then.
 */
class FullLoadStartTest {

    private static final Map<String, Object> PARTITION = Map.of("server", "fls");

    @TempDir
    Path dir;

    private Properties engine() {
        Properties p = new Properties();
        p.setProperty("name", "sluice-fls");
        p.setProperty("topic.prefix", "fls");
        p.setProperty("offset.storage", FileOffsetBackingStore.class.getName());
        p.setProperty("offset.storage.file.filename", dir.resolve("offsets.dat").toString());
        return p;
    }

    private static Map<String, Object> offset(long pos, String gtids, boolean snapshot) {
        Map<String, Object> o = new HashMap<>(Map.of("file", "mariadb-bin.000001", "pos", pos, "gtids", gtids, "ts_sec", 1700000000L));
        if (snapshot) {
            o.put("snapshot", "INITIAL");
        }
        return o;
    }

    private static List<RecordChangeEvent<SourceRecord>> records(Map<String, Object> offset) {
        SourceRecord r = new SourceRecord(PARTITION, offset, "t", null, null);
        return List.of(() -> r);
    }

    private Map<String, Object> stored() throws Exception {
        try (StoredOffsets o = StoredOffsets.open(engine())) {
            return o.read(PARTITION);
        }
    }

    private void store(Map<String, Object> offset) throws Exception {
        try (StoredOffsets o = StoredOffsets.open(engine())) {
            o.write(PARTITION, offset);
        }
    }

    /** One engine run: the check before it starts, then the records it delivers and marks. */
    private FullLoadStart run(FullLoadStart.Store state) throws Exception {
        FullLoadStart f = FullLoadStart.of("fls", state, engine());
        f.beforeEngineStart();
        return f;
    }

    @Test
    void aRepeatedFullLoadIsFollowedByTheBinlogFromTheFirstAttemptsStartEvenWhenKilledBetweenTheSteps() throws Exception {
        AtomicInteger failDeletes = new AtomicInteger();
        FullLoadStart.Store file = FullLoadStart.fileStore(dir.resolve(FullLoadStart.FILE));
        FullLoadStart.Store state = new FullLoadStart.Store() {
            @Override
            public FullLoadStart.State load() throws Exception {
                return file.load();
            }

            @Override
            public void save(FullLoadStart.State s) throws Exception {
                file.save(s);
            }

            @Override
            public void delete() throws Exception {
                if (failDeletes.getAndDecrement() > 0) {
                    throw new IllegalStateException("killed before the state was deleted");
                }
                file.delete();
            }
        };

        // attempt 1 at position 100: killed before any offset was stored, rows already sent
        FullLoadStart first = run(state);
        first.beforeDelivering(records(offset(100, "0-1-3", true)));
        assertNotNull(state.load(), "written before the first row is delivered");
        assertNull(stored());

        // attempt 2 at 200: a snapshot offset stored, then killed
        FullLoadStart second = run(state);
        assertNotNull(state.load(), "no offset: the full load is repeated, the state kept");
        second.beforeDelivering(records(offset(200, "0-1-5", true)));
        assertFalse(second.replayNeeded(records(offset(200, "0-1-5", true))), "still in the full load");
        store(offset(200, "0-1-5", true));
        assertEquals(100L, ((Number) state.load().first().get("pos")).longValue(), "the first attempt's start is kept");

        // attempt 3 at 300 completes: its first binlog record asks for the restart
        FullLoadStart third = run(state);
        assertNotNull(state.load(), "a snapshot's offset: the full load is repeated, the state kept");
        third.beforeDelivering(records(offset(300, "0-1-7", true)));
        assertEquals(300L, ((Number) state.load().latest().get("pos")).longValue());
        assertTrue(third.replayNeeded(records(offset(310, "0-1-8", false))), "complete, begun after the first attempt");
        assertFalse(third.replayNeeded(records(offset(320, "0-1-9", false))), "once");
        store(offset(320, "0-1-9", false)); // what the engine commits when the consumer stops

        // the restart rewrites the offset and is killed before deleting the state: the next start does it again
        failDeletes.set(1);
        assertThrows(IllegalStateException.class, () -> run(state));
        assertEquals(Map.of("file", "mariadb-bin.000001", "pos", 100L, "gtids", "0-1-3", "ts_sec", 1700000000L), stored(),
                "the first attempt's position, as a binlog position (no snapshot flag)");
        assertNotNull(state.load());
        FullLoadStart replay = run(state);
        assertEquals(100L, ((Number) stored().get("pos")).longValue());
        assertNull(state.load(), "forgotten once the offset is the first attempt's position");
        assertFalse(Files.exists(dir.resolve(FullLoadStart.FILE)));
        replay.beforeDelivering(records(offset(150, "0-1-4", false)));
        assertFalse(replay.replayNeeded(records(offset(150, "0-1-4", false))));
        assertNull(state.load(), "binlog records record no full load");
    }

    @Test
    void aFullLoadCompleteOnItsFirstAttemptKeepsItsOffsetAndOneStartedFromAPurgedPositionIsNotTakenForComplete() throws Exception {
        FullLoadStart.Store state = FullLoadStart.fileStore(dir.resolve(FullLoadStart.FILE));
        FullLoadStart only = run(state);
        only.beforeDelivering(records(offset(100, "0-1-3", true)));
        assertFalse(only.replayNeeded(records(offset(110, "0-1-4", false))), "nothing began earlier");
        store(offset(110, "0-1-4", false));
        run(state);
        assertNull(state.load(), "deleted on the next start");
        assertEquals(110L, ((Number) stored().get("pos")).longValue(), "the offset untouched");

        // snapshotMode=when_needed: a full load from a completed offset (purged on the server), killed before it stored one
        FullLoadStart reload = run(state);
        reload.beforeDelivering(records(offset(500, "0-1-20", true)));
        run(state);
        assertNotNull(state.load(), "the stored offset is the one the attempt began with: not complete");
        assertEquals(110L, ((Number) stored().get("pos")).longValue());
    }
}
