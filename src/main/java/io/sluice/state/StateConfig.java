package io.sluice.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

/** Where durable link positions live ({@code sluice.state.*}). */
@ConfigMapping(prefix = "sluice.state")
public interface StateConfig {

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
