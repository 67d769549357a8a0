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
 * Durable per-link positions in a local directory: one JSON file per link and source, replaced atomically (written
 * to a temporary file, forced to disk, renamed over the old one, directory forced), so a kill -9 at any moment
 * leaves either the previous or the new checkpoint, never a torn one.
 */
@ApplicationScoped
public class CheckpointStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    StateConfig config;

    private Path dir;

    public CheckpointStore() {
    }

    /** A store on a given directory (tests, tools). */
    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    private synchronized Path dir() {
        if (dir == null) {
            dir = Path.of(config.dir());
        }
        return dir;
    }

    /** The checkpoint saved under this name, or null when there is none. */
    public Checkpoint load(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), Checkpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + " cannot be read (" + e.getMessage()
                    + "): fix or delete it; deleting it restarts the link from its start offset", e);
        }
    }

    public void save(String name, Checkpoint checkpoint) {
        Path file = file(name);
        try {
            writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(checkpoint));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + " cannot be written: " + e.getMessage(), e);
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
        return dir().resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
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
