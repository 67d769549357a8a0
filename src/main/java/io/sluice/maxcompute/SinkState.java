package io.sluice.maxcompute;

import io.sluice.base.Errors;
import io.sluice.state.StateDocument;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the {@code maxcompute} sink of one link keeps across restarts, in its document of the application's state store
 * ({@link StateDocument}: {@code <state dir>/<link>/maxcompute.state} next to the binlog offsets, or the row
 * {@code <link>/maxcompute.state} of the shared state database): the {@link GroupOrdinals.Mark}s of the last batches (record_id across a restart in the
 * middle of a transaction) and the MaxCompute tables the link created (so that its own tables do not fail the
 * conflicting-tables precheck when it starts again; a link whose binlog offsets exist without this file ran before
 * the sink kept it, and takes the tables it finds as its own once), and the columns dropped on the source but kept in
 * MaxCompute (so that adding one again is recognised after a restart), and the columns renamed (so that rows replayed
 * after a restart, which carry a name the column had before a later rename, find it). Lines {@code mark <file> <pos> <event> <rowsBefore> <rowsSeen>}
 * {@code created <table>}, {@code dropped <table>.<column>} and {@code renamed <table>.<column> TAB <new name>}; written whole
 * (a file replaced atomically, or one statement), so a kill leaves the old or the new state, never half of one. Without
 * a document (a sink outside a link) it is kept in memory only.
 */
final class SinkState {

    /** The document of the file or JDBC store; null: in memory only. */
    private final StateDocument file;
    private final List<GroupOrdinals.Mark> marks = new ArrayList<>();
    private final Set<String> created = new LinkedHashSet<>();
    /** {@code table.column} (lowercase) of columns dropped on the source and kept in MaxCompute. */
    private final Set<String> dropped = new LinkedHashSet<>();
    /** {@code table.column} (lowercase) of a column renamed on the source to its new name. */
    private final Map<String, String> renamed = new LinkedHashMap<>();
    /** Created, dropped or renamed changed since the last {@link #store}. */
    private boolean dirty;
    /** A link that ran before the sink kept state (its binlog offsets exist, this file not): its tables are its own. */
    private boolean adoptExisting;

    /** The document's name in the link's state. */
    static final String NAME = "maxcompute.state";

    private SinkState(StateDocument file) {
        this.file = file;
    }

    /** The state in the link's state directory {@code dir} (null: in memory only). */
    static SinkState load(Path dir) {
        return load(dir == null ? null : StateDocument.file(dir.resolve(NAME)), dir);
    }

    /**
     * The state kept in {@code doc} (null: in memory only); {@code dir}, the link's state directory, tells whether the
     * link ran before the sink kept state (its binlog offsets file is there).
     */
    static SinkState load(StateDocument doc, Path dir) {
        SinkState s = new SinkState(doc);
        String text;
        try {
            text = doc == null ? null : doc.load();
        } catch (Exception e) {
            throw new MaxComputeException("cannot read the MaxCompute sink's state " + doc.where() + ": "
                    + Errors.describe(e), e);
        }
        s.adoptExisting = doc != null && text == null && dir != null && Files.exists(dir.resolve("offsets.dat"));
        if (text != null) {
            try {
                for (String line : text.split("\n")) {
                    if (line.startsWith("mark ")) {
                        s.marks.add(GroupOrdinals.Mark.parse(line.substring(5)));
                    } else if (line.startsWith("created ")) {
                        s.created.add(line.substring(8));
                    } else if (line.startsWith("dropped ")) {
                        s.dropped.add(line.substring(8));
                    } else if (line.startsWith("renamed ")) {
                        String[] p = line.substring(8).split("\t", 2);
                        s.renamed.put(p[0], p[1]);
                    }
                }
            } catch (RuntimeException e) {
                throw new MaxComputeException("cannot read the MaxCompute sink's state " + doc.where() + ": " + e.getMessage()
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
        dirty |= created.add(table.toLowerCase(Locale.ROOT));
    }

    boolean dropped(String table, String column) {
        return !dropped.isEmpty() && dropped.contains(key(table, column));
    }

    void addDropped(String table, String column) {
        dirty |= dropped.add(key(table, column));
    }

    void undrop(String table, String column) {
        dirty |= dropped.remove(key(table, column));
    }

    /** Records that {@code column} of {@code table} was renamed to {@code newName} (so replayed rows find it). */
    void addRenamed(String table, String column, String newName) {
        dirty |= !newName.equals(renamed.put(key(table, column), newName));
    }

    /** A column added under a name that was renamed away is that new column, not the renamed one. */
    void unrename(String table, String column) {
        dirty |= renamed.remove(key(table, column)) != null;
    }

    /** The name {@code column} of {@code table} was renamed to, or null. */
    String renamedTo(String table, String column) {
        return renamed.isEmpty() ? null : renamed.get(key(table, column));
    }

    boolean hasRenames() {
        return !renamed.isEmpty();
    }

    boolean dirty() {
        return dirty;
    }

    private static String key(String table, String column) {
        return (table + "." + column).toLowerCase(Locale.ROOT);
    }

    void store(List<GroupOrdinals.Mark> newMarks) {
        marks.clear();
        marks.addAll(newMarks);
        dirty = false;
        if (file == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        created.forEach(t -> sb.append("created ").append(t).append('\n'));
        dropped.forEach(c -> sb.append("dropped ").append(c).append('\n'));
        renamed.forEach((c, to) -> sb.append("renamed ").append(c).append('\t').append(to).append('\n'));
        marks.forEach(m -> sb.append("mark ").append(m.line()).append('\n'));
        try {
            file.save(sb.toString());
        } catch (Exception e) {
            throw new MaxComputeException("cannot write the MaxCompute sink's state " + file.where() + ": "
                    + Errors.describe(e), e);
        }
    }
}
