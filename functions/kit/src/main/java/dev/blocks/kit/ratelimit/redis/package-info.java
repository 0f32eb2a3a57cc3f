/**
 * The Redis side of rate limiting: {@link dev.blocks.kit.ratelimit.redis.RedisLimitStore} runs the one composed
 * Lua script (prelude, five algorithms, driver) with EVALSHA through the Vert.x Redis client, reloading it on
 * NOSCRIPT. Nothing else in the kit's rate limiting knows about Redis.
 */
package dev.blocks.kit.ratelimit.redis;
