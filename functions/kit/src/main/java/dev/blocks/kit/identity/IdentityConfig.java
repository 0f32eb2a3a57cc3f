package dev.blocks.kit.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where API keys live and how long a verified key is trusted in process. */
@ConfigMapping(prefix = "blocks.identity")
public interface IdentityConfig {

    /** DynamoDB table of hashed API keys ({@code BLOCKS_IDENTITY_API_KEYS_TABLE}). */
    @WithDefault("blocks-api-keys")
    String apiKeysTable();

    /**
     * Seconds a verified key stays cached in process; a revoked key keeps working at most this long on an
     * instance that had just seen it. Unknown keys are never cached, so a new key works at once.
     */
    @WithDefault("30")
    int cacheSeconds();
}
