package dev.blocks.kit.ratelimit;

import java.time.Duration;

/**
 * How a {@link RateLimiter} behaves when Redis is slow or down, and how it lays out keys.
 *
 * @param timeout longest wait for Redis before the rules' fail mode decides (default 50 ms)
 * @param breakerFailures failures in a row that open the circuit breaker (default 5)
 * @param breakerOpenFor how long the breaker stays open before one probe is let through (default 1 s)
 * @param rememberRefusals whether keys over their limit are remembered in process until their retry time
 *     (default true; off, every request goes to Redis)
 * @param rememberedKeysMax most refusals remembered at once (default 100 000)
 * @param hashTags how counters are spread over Redis Cluster slots (default {@link HashTagPolicy#ONE_SLOT})
 */
public record RateLimiterSettings(
        Duration timeout,
        int breakerFailures,
        Duration breakerOpenFor,
        boolean rememberRefusals,
        int rememberedKeysMax,
        HashTagPolicy hashTags) {

    public RateLimiterSettings {
        if (timeout.isNegative() || timeout.isZero() || breakerFailures < 1 || breakerOpenFor.isNegative()
                || rememberedKeysMax < 0) {
            throw new IllegalArgumentException("invalid rate limiter settings " + timeout + ", " + breakerFailures
                    + ", " + breakerOpenFor + ", " + rememberedKeysMax);
        }
    }

    public static RateLimiterSettings defaults() {
        return new RateLimiterSettings(Duration.ofMillis(50), 5, Duration.ofSeconds(1), true, 100_000,
                HashTagPolicy.ONE_SLOT);
    }

    public RateLimiterSettings withTimeout(Duration value) {
        return new RateLimiterSettings(value, breakerFailures, breakerOpenFor, rememberRefusals, rememberedKeysMax, hashTags);
    }

    public RateLimiterSettings withBreaker(int failures, Duration openFor) {
        return new RateLimiterSettings(timeout, failures, openFor, rememberRefusals, rememberedKeysMax, hashTags);
    }

    public RateLimiterSettings withRememberRefusals(boolean value) {
        return new RateLimiterSettings(timeout, breakerFailures, breakerOpenFor, value, rememberedKeysMax, hashTags);
    }

    public RateLimiterSettings withHashTags(HashTagPolicy value) {
        return new RateLimiterSettings(timeout, breakerFailures, breakerOpenFor, rememberRefusals, rememberedKeysMax, value);
    }
}
