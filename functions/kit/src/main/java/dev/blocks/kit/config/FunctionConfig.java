package dev.blocks.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings every function shares; each is an environment variable set by Terraform. */
@ConfigMapping(prefix = "blocks")
public interface FunctionConfig {

    /** The role this deployment plays ({@code BLOCKS_FUNCTION}), e.g. {@code links-api}. */
    String function();

    /** Name prefix of every resource of this deployment ({@code BLOCKS_PREFIX}). */
    @WithDefault("blocks")
    String prefix();

    /**
     * How long before Lambda's deadline work stops ({@code BLOCKS_STOP_MARGIN}): what is left of a batch then goes back
     * to its source for a retry, and the answer, its log lines and metrics still go out before the timeout.
     */
    @WithDefault("PT1S")
    Duration stopMargin();
}
