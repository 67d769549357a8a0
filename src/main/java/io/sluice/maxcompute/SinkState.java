package io.sluice.maxcompute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the {@code maxcompute} sink of one link keeps across restarts, in {@code <state dir>/<link>/maxcompute.state}
 * (next to the binlog offsets): the {@link GroupOrdinals.Mark}s of the last batches (record_id across a restart in the
 * middle of a transaction) and the MaxCompute tables the link created (so that its own tables do not fail the
 * conflicting-tables precheck when it starts again; a link whose binlog offsets exist without this file ran before
 * the sink kept it, and takes the tables it finds as its own once). Lines {@code mark <file> <pos> <event> <rowsBefore> <rowsSeen>}
 * and {@code created <table>}; written whole to a temporary file and moved over the old one, so a kill leaves the old
 * or the new state, never half of one. Without a directory (a sink outside a link) it is kept in memory only.
 */
final class SinkState {

    private final Path file;
    private final List<GroupOrdinals.Mark> marks = new ArrayList<>();
    private final Set<String> created = new LinkedHashSet<>();
    /** A link that ran before the sink kept state (its binlog offsets exist, this file not): its tables are its own. */
    private boolean adoptExisting;

    private SinkState(Path file) {
        this.file = file;
    }

    static SinkState load(Path dir) {
        SinkState s = new SinkState(dir == null ? null : dir.resolve("maxcompute.state"));
        s.adoptExisting = s.file != null && !Files.exists(s.file) && Files.exists(dir.resolve("offsets.dat"));
        if (s.file != null && Files.exists(s.file)) {
            try {
                for (String line : Files.readAllLines(s.file, StandardCharsets.UTF_8)) {
                    if (line.startsWith("mark ")) {
                        s.marks.add(GroupOrdinals.Mark.parse(line.substring(5)));
                    } else if (line.startsWith("created ")) {
                        s.created.add(line.substring(8));
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new MaxComputeException("cannot read the MaxCompute sink's state " + s.file + ": " + e.getMessage()
                        + "; delete it only together with the link's binlog offsets (a new full load)", e);
            }
        }
        return s;
    }

    List<GroupOrdinals.Mark> marks() {
        return marks;
    }

    boolean created(String table) {
        return adoptExisting || created.contains(table.toLowerCase(Locale.ROOT));
    }

    /** Records tables the link created; stored with the next {@link #store}. */
    void addCreated(String table) {
        created.add(table.toLowerCase(Locale.ROOT));
    }

    void store(List<GroupOrdinals.Mark> newMarks) {
        marks.clear();
        marks.addAll(newMarks);
        if (file == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        created.forEach(t -> sb.append("created ").append(t).append('\n'));
        marks.forEach(m -> sb.append("mark ").append(m.line()).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MaxCompute sink's state " + file, e);
        }
    }
}
