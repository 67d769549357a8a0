package io.sluice.state;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one store of everything a link needs to continue, chosen once for the application ({@code sluice.state.store}):
 * files of the state directory, or the shared JDBC state database. Sources and sinks ask it for their documents
 * ({@link #document}); a binlog link also for its Debezium offsets ({@link #jdbc()}).
 */
@ApplicationScoped
public class StateStore {

    @Inject
    StateConfig config;

    private volatile JdbcStateStore jdbc;
    /** The directory of a file store made without configuration. */
    private Path fixedDir;

    public StateStore() {
    }

    /** A file store in {@code dir} (tests, components created outside CDI). */
    public StateStore(Path dir) {
        this.fixedDir = dir;
    }

    /** A wrong {@code sluice.state.*} fails the application's start, naming the setting and the fix. */
    void check(@Observes StartupEvent startup) {
        jdbc();
    }

    /** The shared state database of {@code sluice.state.store=jdbc}; null for the file store. */
    public JdbcStateStore jdbc() {
        if (config == null || config.store() != StateConfig.Kind.JDBC) {
            return null;
        }
        JdbcStateStore j = jdbc;
        if (j == null) {
            String url = config.jdbc().url().filter(u -> !u.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "sluice.state.store=jdbc needs sluice.state.jdbc.url, the shared state database (e.g. "
                            + "jdbc:mariadb://<host>:3306/sluice_state, with sluice.state.jdbc.username and "
                            + "sluice.state.jdbc.password), or sluice.state.store=file"));
            if (!JdbcStateStore.supports(url)) {
                throw new IllegalStateException("sluice.state.jdbc.url must be a MySQL or MariaDB database, "
                        + "jdbc:mariadb://<host>:<port>/<database> or jdbc:mysql://..., not " + url.replaceAll("[?;].*", "")
                        + " (the state tables are created with MySQL statements)");
            }
            j = new JdbcStateStore(url, config.jdbc().username().orElse(null), config.jdbc().password().orElse(null),
                    JdbcStateStore.APPLICATION_SETTINGS);
            jdbc = j;
        }
        return j;
    }

    /** The state directory of link {@code link}, {@code <sluice.state.dir>/<link id>}. */
    public Path linkDir(String link) {
        return dir().resolve(link);
    }

    /** The state directory of all links, {@code sluice.state.dir}. */
    public Path dir() {
        return config == null ? fixedDir : Path.of(config.dir());
    }

    /**
     * Document {@code name} of link {@code link}: the row {@code <link>/<name>} of the state database, or the file
     * {@code file} (where the file store has always kept it).
     */
    public StateDocument document(String link, String name, Path file) {
        JdbcStateStore j = jdbc();
        return j != null ? StateDocument.jdbc(j, link + "/" + name) : StateDocument.file(file);
    }

    /** Document {@code name} of link {@code link}: the row {@code <link>/<name>}, or the file {@code <link dir>/<name>}. */
    public StateDocument document(String link, String name) {
        return document(link, name, linkDir(link).resolve(name));
    }

    /**
     * Forgets everything of a deleted link: its documents, offsets and schema history (the rows of the state database,
     * or its state directory and checkpoint files), so that a new link with the same id starts afresh.
     */
    public void forget(String link) throws SQLException, IOException {
        JdbcStateStore j = jdbc();
        if (j != null) {
            j.forgetLink(link);
            return;
        }
        Path dir = linkDir(link);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        // the checkpoints of sources beside the link's directory (<dir>/<link>.<source>.json)
        if (Files.isDirectory(dir())) {
            try (Stream<Path> files = Files.list(dir())) {
                for (Path p : files.filter(f -> CheckpointStore.isCheckpointOf(f, link)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        CheckpointStore.forceDirectory(dir());
    }

    /** What went wrong with a document, as an unchecked exception naming it. */
    public static RuntimeException failure(String what, StateDocument doc, Exception e) {
        return e instanceof IOException io ? new UncheckedIOException(what + " (" + doc.where() + "): " + io.getMessage(), io)
                : new IllegalStateException(what + " (" + doc.where() + "): " + e.getMessage(), e);
    }
}
