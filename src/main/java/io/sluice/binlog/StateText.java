package io.sluice.binlog;

import io.sluice.state.CheckpointStore;
import io.sluice.state.JdbcStateStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small document of a link's own state kept next to its Debezium offsets, in the same store: a file in the link's
 * state directory (written atomically) or a row of the JDBC state store's {@value JdbcStateStore#FULL_LOAD_TABLE}
 * under a key. Where a link's offsets are, so is this, and another instance taking the link over reads both.
 */
interface StateText {

    /** The document, or null when there is none. */
    String load() throws Exception;

    void save(String text) throws Exception;

    void delete() throws Exception;

    static StateText file(Path file) {
        return new StateText() {
            @Override
            public String load() throws Exception {
                return Files.exists(file) ? Files.readString(file) : null;
            }

            @Override
            public void save(String text) throws Exception {
                CheckpointStore.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void delete() throws Exception {
                if (Files.deleteIfExists(file)) {
                    CheckpointStore.forceDirectory(file.getParent());
                }
            }
        };
    }

    /** The row of {@code key} (a link id, or a link id with a suffix naming the document). */
    static StateText jdbc(JdbcStateStore jdbc, String key) {
        return new StateText() {
            @Override
            public String load() throws Exception {
                return jdbc.loadFullLoadState(key);
            }

            @Override
            public void save(String text) throws Exception {
                jdbc.saveFullLoadState(key, text);
            }

            @Override
            public void delete() throws Exception {
                jdbc.deleteFullLoadState(key);
            }
        };
    }
}
