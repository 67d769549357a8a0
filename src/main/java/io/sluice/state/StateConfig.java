package io.sluice.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where durable link positions live ({@code sluice.state.*}). */
@ConfigMapping(prefix = "sluice.state")
public interface StateConfig {

    /**
     * Directory of the links' durable state: SLS checkpoints ({@code <dir>/<link id>.sls.json}), binlog offsets and
     * schema history ({@code <dir>/<link id>/}). Relative paths are resolved against the working directory.
     */
    @WithDefault("data/state")
    String dir();
}
