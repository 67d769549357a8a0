package io.sluice.link;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The links of the routes directory ({@code sluice.links.routes-dir}), which Sluice loads at start: a link added or
 * edited through the API is written there, and a deleted one taken out, when {@code sluice.links.write-to-routes-dir}
 * is on, so the API's changes survive a restart.
 *
 * <p>A link is found by its id in whichever file holds it (the shipped files are named by id, but a file may hold
 * several links, and a link added in one POST with others shares their file): writing a link's new definition to a
 * second file would load it twice at the next start, and Camel refuses duplicate route ids. Files are replaced
 * atomically, so a crash never leaves a half-written file that would stop the next start.
 */
@ApplicationScoped
public class RouteFiles {

    private static final Logger LOG = Logger.getLogger(RouteFiles.class);

    @Inject
    LinksConfig config;

    /** Whether the API's changes are written to the routes directory. */
    public boolean enabled() {
        return config.links().writeToRoutesDir();
    }

    /**
     * Writes {@code yaml} (a route file defining link {@code id}, and possibly others added with it) where link
     * {@code id} is kept: over its file if the file holds only this link, else in a file of its own, the link's
     * entry taken out of the shared file. Returns the file written.
     */
    public Path write(String id, String yaml) throws IOException {
        Path dir = Path.of(config.links().routesDir());
        Files.createDirectories(dir);
        Path current = fileOf(id);
        Path target = current;
        if (current != null && linksIn(current).size() > 1) {
            withoutLink(current, id);
            target = null;
        }
        if (target == null) {
            target = freeName(dir, id);
        }
        replace(target, yaml);
        return target;
    }

    /** Takes link {@code id} out of the routes directory: its file, or its entry of a file it shares. */
    public void remove(String id) throws IOException {
        Path file = fileOf(id);
        if (file == null) {
            return;
        }
        if (linksIn(file).size() > 1) {
            withoutLink(file, id);
        } else {
            Files.deleteIfExists(file);
        }
    }

    /** The file of the routes directory that defines link {@code id}, or null. */
    public Path fileOf(String id) throws IOException {
        Path dir = Path.of(config.links().routesDir());
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.yaml")) {
            for (Path f : files) {
                if (linksIn(f).contains(id)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** The ids of the links a route file defines; none for a file that is not a route file. */
    private static List<String> linksIn(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        for (Object entry : entries(file)) {
            String id = idOf(entry);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static List<?> entries(Path file) throws IOException {
        try {
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            return doc instanceof List<?> list ? list : List.of();
        } catch (RuntimeException e) {
            LOG.debugf("%s is not a route file: %s", file, e.getMessage());
            return List.of();
        }
    }

    private static String idOf(Object entry) {
        return entry instanceof Map<?, ?> m && m.get("route") instanceof Map<?, ?> r && r.get("id") != null
                ? String.valueOf(r.get("id")) : null;
    }

    /** Rewrites a file of several links without link {@code id} (its comments are lost: the parser drops them). */
    private static void withoutLink(Path file, String id) throws IOException {
        List<Object> kept = new ArrayList<>();
        for (Object entry : entries(file)) {
            if (!id.equals(idOf(entry))) {
                kept.add(entry);
            }
        }
        String yaml = "# rewritten by Sluice: a link of this file was edited or deleted through the API\n"
                + new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(kept);
        replace(file, yaml);
    }

    /** {@code <id>.yaml}, or {@code <id>-2.yaml}... when a file of that name already holds other links. */
    private static Path freeName(Path dir, String id) {
        Path p = dir.resolve(id + ".yaml");
        for (int n = 2; Files.exists(p); n++) {
            p = dir.resolve(id + "-" + n + ".yaml");
        }
        return p;
    }

    private static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
