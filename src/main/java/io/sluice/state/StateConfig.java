package io.sluice.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** Where durable link positions live ({@code sluice.state.*}). */
@ConfigMapping(prefix = "sluice.state")
public interface StateConfig {

    /** Where the links' state is kept: in files of {@link #dir()} or in one shared MySQL/MariaDB database. */
    enum Kind {
        /** Files of this instance's state directory (the default). */
        FILE,
        /** Tables of the database {@code sluice.state.jdbc.url}, shared by links and instances. */
        JDBC
    }

    /**
     * {@code file} (default): every link's state in {@link #dir()}; {@code jdbc}: SLS checkpoints, the MaxCompute
     * sink's state, binlog offsets, schema history and documents, and the user's pause or stop, in the database
     * {@code sluice.state.jdbc.url}, so that another instance can continue a link.
     */
    @WithDefault("file")
    Kind store();

    /** The shared state database of {@code sluice.state.store=jdbc}. */
    Jdbc jdbc();

    interface Jdbc {
        /** {@code jdbc:mariadb://<host>:<port>/<database>} or {@code jdbc:mysql://...}. */
        Optional<String> url();

        Optional<String> username();

        Optional<String> password();
    }

    /**
     * Directory of the links' durable state: SLS checkpoints ({@code <dir>/<link id>.sls.json}), binlog offsets and
     * schema history ({@code <dir>/<link id>/}). Relative paths are resolved against the working directory.
     */
    @WithDefault("data/state")
    String dir();

    /** The state directory of one link, {@code <dir>/<link id>}: its binlog offsets and its sinks' state. */
    default Path linkDir(String link) {
        return Path.of(dir(), link);
    }
}
