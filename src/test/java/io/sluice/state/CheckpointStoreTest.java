package io.sluice.state;

import io.sluice.state.CheckpointStore.Checkpoint;
import io.sluice.state.CheckpointStore.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The durable checkpoint file: survives a new store instance, is replaced whole, and a broken one is named. */
class CheckpointStoreTest {

    @Test
    void savesReplacesAndLoadsAcrossInstances(@TempDir Path dir) {
        CheckpointStore store = new CheckpointStore(dir.resolve("state"));
        assertNull(store.load("link-a"));
        Checkpoint cp = new Checkpoint("startTime=1", "ep/p/ls");
        cp.parts.put("0", new Part("MTA=", false));
        cp.parts.put("1", new Part("MjA=", true));
        store.save("link-a", cp);
        cp.parts.get("0").next = "MzA=";
        store.save("link-a", cp);

        Checkpoint loaded = new CheckpointStore(dir.resolve("state")).load("link-a");
        assertEquals("startTime=1", loaded.startMark);
        assertEquals("ep/p/ls", loaded.source);
        assertEquals("MzA=", loaded.parts.get("0").next);
        assertTrue(loaded.parts.get("1").finished);
        assertFalse(Files.exists(dir.resolve("state").resolve("link-a.json.tmp")), "no temporary file is left");
    }

    @Test
    void aBrokenCheckpointIsReportedWithItsPathAndTheWayOut(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        Files.writeString(store.file("link-b"), "{not json");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.load("link-b"));
        assertTrue(e.getMessage().contains(store.file("link-b").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("deleting it restarts the link from its start offset"), e.getMessage());
    }
}
