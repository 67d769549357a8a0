package io.sluice.state;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where durable link positions live ({@code sluice.state.*}). */
@ConfigMapping(prefix = "sluice.state")
public interface StateConfig {

    /** Directory of the checkpoint files, one per link. Relative paths are resolved against the working directory. */
    @WithDefault("data/state")
    String dir();
}
