package io.sluice.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small named document of a link's state (an SLS checkpoint, the MaxCompute sink's state, a binlog link's full-load
 * and added-tables documents, the user's pause or stop): a file in the state directory, replaced atomically, or a row
 * of the JDBC state store's {@value JdbcStateStore#DOCUMENTS_TABLE} under a key, replaced in one statement. Either way
 * a kill at any moment leaves the old or the new document, never half of one; where a link's positions are, so are
 * its documents, and another instance taking the link over reads both.
 */
public interface StateDocument {

    /** The document, or null when there is none. */
    String load() throws Exception;

    void save(String text) throws Exception;

    void delete() throws Exception;

    /** Where the document is, for messages (a file, or the state database's table and key; never a password). */
    String where();

    static StateDocument file(Path file) {
        return new StateDocument() {
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

            @Override
            public String where() {
                return file.toAbsolutePath().toString();
            }
        };
    }

    /** The row of {@code key} (a link id, or a link id, a slash and the document's name). */
    static StateDocument jdbc(JdbcStateStore jdbc, String key) {
        return new StateDocument() {
            @Override
            public String load() throws Exception {
                return jdbc.loadDocument(key);
            }

            @Override
            public void save(String text) throws Exception {
                jdbc.saveDocument(key, text);
            }

            @Override
            public void delete() throws Exception {
                jdbc.deleteDocument(key);
            }

            @Override
            public String where() {
                return "the row '" + key + "' of " + JdbcStateStore.DOCUMENTS_TABLE + " in " + jdbc.where();
            }
        };
    }
}
