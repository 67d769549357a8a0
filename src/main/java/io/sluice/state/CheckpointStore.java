package io.sluice.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Durable per-link positions of a source (an SLS logstore's shard cursors), in the application's state store
 * ({@link StateStore}): one JSON file per link and source in the state directory, {@code <dir>/<link>.<source>.json},
 * replaced atomically (written to a temporary file, forced to disk, renamed over the old one, directory forced), or the
 * row {@code <link>/<source>.checkpoint} of the shared state database, replaced in one statement. A kill -9 at any
 * moment leaves either the previous or the new checkpoint, never a torn one.
 */
@ApplicationScoped
public class CheckpointStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    StateStore states;

    private Path dir;

    public CheckpointStore() {
    }

    /** A store of files in a given directory (tests, tools). */
    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    private synchronized Path dir() {
        if (dir == null) {
            dir = states.dir();
        }
        return dir;
    }

    /** The checkpoint of {@code link}'s source {@code source} (e.g. "sls"), or null when there is none. */
    public Checkpoint load(String link, String source) {
        return read(document(link, source));
    }

    public void save(String link, String source, Checkpoint checkpoint) {
        write(document(link, source), checkpoint);
    }

    private StateDocument document(String link, String source) {
        Path file = file(link + "." + source);
        return states != null ? states.document(link, source + ".checkpoint", file) : StateDocument.file(file);
    }

    /** Whether {@code file} is a checkpoint of link {@code link} (of any of its sources). */
    static boolean isCheckpointOf(Path file, String link) {
        String name = file.getFileName().toString();
        String prefix = safe(link) + ".";
        return name.startsWith(prefix) && name.endsWith(".json") && name.indexOf('.', prefix.length()) == name.length() - 5;
    }

    /** The checkpoint saved in the file of this name, or null when there is none. */
    public Checkpoint load(String name) {
        return read(StateDocument.file(file(name)));
    }

    public void save(String name, Checkpoint checkpoint) {
        write(StateDocument.file(file(name)), checkpoint);
    }

    private static Checkpoint read(StateDocument doc) {
        String text;
        try {
            text = doc.load();
        } catch (Exception e) {
            throw StateStore.failure("the checkpoint cannot be read", doc, e);
        }
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, Checkpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + doc.where() + " cannot be read (" + e.getMessage()
                    + "): fix or delete it; deleting it restarts the link from its start offset", e);
        }
    }

    private static void write(StateDocument doc, Checkpoint checkpoint) {
        try {
            doc.save(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(checkpoint));
        } catch (Exception e) {
            throw StateStore.failure("the checkpoint cannot be written", doc, e);
        }
    }

    /**
     * Replaces {@code file} with {@code bytes} so that a kill -9 at any moment leaves the old or the new content:
     * written to a temporary file, forced to disk, renamed over the old one, directory forced.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(file.getParent());
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String name) {
        return dir().resolve(safe(name) + ".json");
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Forces a directory's entries (a rename or a deletion in it) to disk, where the file system can. */
    public static void forceDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot sync a directory; the rename itself is still atomic
        }
    }

    /**
     * A source's position: the start offset that produced it (a different one in the route is an explicit reset)
     * and the next position of each of its parts (an SLS shard's cursor), plus whether a part is finished (a
     * read-only shard read to its end).
     */
    public static class Checkpoint {
        public String startMark;
        public String source;
        public Map<String, Part> parts = new LinkedHashMap<>();
        public long savedAt;

        public Checkpoint() {
        }

        public Checkpoint(String startMark, String source) {
            this.startMark = startMark;
            this.source = source;
        }
    }

    public static class Part {
        public String next;
        public boolean finished;

        public Part() {
        }

        public Part(String next, boolean finished) {
            this.next = next;
            this.finished = finished;
        }
    }
}
