package dev.blocks.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings every function shares; each is an environment variable set by Terraform. */
@ConfigMapping(prefix = "blocks")
public interface FunctionConfig {

    /** The role this deployment plays ({@code BLOCKS_FUNCTION}), e.g. {@code links-api}. */
    String function();

    /** Name prefix of every resource of this deployment ({@code BLOCKS_PREFIX}). */
    @WithDefault("blocks")
    String prefix();
}
