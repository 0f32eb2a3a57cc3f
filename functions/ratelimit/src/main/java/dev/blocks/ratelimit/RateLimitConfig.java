package dev.blocks.ratelimit;

import dev.blocks.kit.ratelimit.HashTagPolicy;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the rate-limit functions, each an environment variable ({@code blocks.ratelimit.rules-table} is
 * {@code BLOCKS_RATELIMIT_RULES_TABLE}). The module README lists every key with its default.
 */
@ConfigMapping(prefix = "blocks.ratelimit")
public interface RateLimitConfig {

    /** The DynamoDB table of rules managed through the admin API (partition key {@code id}). */
    @WithDefault("blocks-ratelimit-rules")
    String rulesTable();

    /**
     * Rules from configuration, as a JSON array of rule objects (each with its {@code id}). They are in force
     * whatever the table holds, and the admin API can read but not change them.
     */
    @WithDefault("[]")
    String rules();

    /**
     * How often ratelimit-api reads the rules table again (one Scan per refresh, never one per request). A rule
     * changed through the admin API applies to every check made at least this long after the change.
     */
    @WithDefault("PT3S")
    Duration refresh();

    /** Longest wait for Redis before the rule's fail mode decides. */
    @WithDefault("PT0.05S")
    Duration redisTimeout();

    /** Redis failures in a row that open the circuit breaker (then checks cost no Redis call at all). */
    @WithDefault("5")
    int breakerFailures();

    /** How long the breaker stays open before one check probes Redis again. */
    @WithDefault("PT1S")
    Duration breakerOpenFor();

    /** Whether keys over their limit are refused in process until their retry time, without asking Redis. */
    @WithDefault("true")
    boolean rememberRefusals();

    /** Whether {@code POST /v1/ratelimit/check} needs an API key (or JWT claims), like the admin API does. */
    @WithDefault("true")
    boolean checkRequiresApiKey();

    /**
     * Owners allowed to use the admin API: API-key owners, or {@code jwt:<issuer>#<sub>} for token users. Unset or
     * empty: nobody (every caller gets 403), so a deployment is closed until an operator names its admins.
     */
    Optional<List<String>> adminOwners();

    default RateLimiterSettings limiterSettings() {
        return new RateLimiterSettings(redisTimeout(), breakerFailures(), breakerOpenFor(), rememberRefusals(),
                RateLimiterSettings.defaults().rememberedKeysMax(), HashTagPolicy.ONE_SLOT);
    }
}
