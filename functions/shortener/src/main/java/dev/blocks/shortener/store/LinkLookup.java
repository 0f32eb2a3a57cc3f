package dev.blocks.shortener.store;

import dev.blocks.shortener.domain.Link;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The redirect's read path: in-process cache, then Redis, then DynamoDB, each layer filled from the one below.
 * Round trips: 0 for a fresh in-process entry, 1 for a Redis hit, 1 Redis + 1 DynamoDB on a miss (Redis filled
 * without waiting). With Redis down the path is in-process → DynamoDB; with DynamoDB down as well, a stale
 * in-process entry is served rather than an error.
 */
public final class LinkLookup {

    /** Where an answer came from. */
    public enum Source { LOCAL, REDIS, DYNAMODB, STALE }

    public record Result(CachedLink value, Source source) {}

    /** Neither the caches nor the table could answer. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("no store answered", cause, false, false);
        }
    }

    private final LocalLinkCache local;
    private final RedisLinkCache redis;
    private final LinkTable table;
    private final Metrics metrics;

    public LinkLookup(LocalLinkCache local, RedisLinkCache redis, LinkTable table, Metrics metrics) {
        this.local = local;
        this.redis = redis;
        this.table = table;
        this.metrics = metrics;
    }

    public Result find(String code) {
        LocalLinkCache.Entry entry = local.get(code);
        if (entry != null && entry.freshAt(local.now())) {
            return new Result(entry.value(), Source.LOCAL);
        }
        boolean redisAnswered = false;
        try {
            Optional<CachedLink> cached = redis.get(code);
            redisAnswered = true;
            if (cached.isPresent()) {
                local.put(code, cached.get());
                return new Result(cached.get(), Source.REDIS);
            }
        } catch (GuardedRedis.Unavailable e) {
            // counted and logged by GuardedRedis; DynamoDB answers instead
        }
        Optional<Link> stored;
        try {
            stored = table.find(code);
        } catch (SdkException e) {
            metrics.increment(Metrics.DYNAMODB_UNAVAILABLE);
            if (entry != null) {
                metrics.increment(Metrics.STALE_SERVED);
                return new Result(entry.value(), Source.STALE);
            }
            throw new Unavailable(e);
        }
        CachedLink value = stored.<CachedLink>map(CachedLink.Found::new).orElseGet(() -> new CachedLink.Absent(false));
        local.put(code, value);
        if (redisAnswered) {
            if (stored.isPresent()) {
                redis.fill(stored.get());
            } else {
                redis.fillUnknown(code);
            }
        }
        return new Result(value, Source.DYNAMODB);
    }

    /** Drops a code from this instance's cache (after a delete, or when the table says it is gone). */
    public void forget(String code) {
        local.forget(code);
    }
}
