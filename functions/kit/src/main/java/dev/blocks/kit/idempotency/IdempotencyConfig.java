package dev.blocks.kit.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The shared idempotency table: one record per (scope, key), removed by DynamoDB TTL. */
@ConfigMapping(prefix = "blocks.idempotency")
public interface IdempotencyConfig {

    /** DynamoDB table ({@code BLOCKS_IDEMPOTENCY_TABLE}); partition key {@code id} (S), TTL attribute {@code expiresAt}. */
    @WithDefault("blocks-idempotency")
    String table();
}
