package dev.blocks.kit.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where API keys live, how long a verified key is trusted in process, and the pre-auth limit on unknown keys. */
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

    /**
     * Key lookups that found no valid key which one client (an IPv4 address, an IPv6 /64) may cause per
     * {@link #unknownKeyWindow()} on one warm instance ({@code BLOCKS_IDENTITY_UNKNOWN_KEY_LIMIT}); beyond it the
     * client's uncached keys are answered 429 without a lookup. A token bucket: this many at once, refilled at this
     * many per window.
     */
    @WithDefault("20")
    int unknownKeyLimit();

    /** The window of {@link #unknownKeyLimit()}, whole seconds ({@code BLOCKS_IDENTITY_UNKNOWN_KEY_WINDOW}). */
    @WithDefault("PT1M")
    Duration unknownKeyWindow();
}
