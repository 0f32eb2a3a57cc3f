package dev.blocks.shortener.store;

import dev.blocks.kit.metrics.Metrics;
import dev.blocks.shortener.domain.Link;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The redirect's read path: in-process cache, then Redis, then DynamoDB, each layer filled from the one below.
 * Round trips: 0 for a fresh in-process entry, 1 for a Redis hit, 1 Redis + 1 DynamoDB on a miss (Redis filled
 * without waiting), plus what the caller's {@link MissBudget} costs when DynamoDB does not know the code. With
 * Redis down the path is in-process → DynamoDB; with DynamoDB down as well, a stale in-process entry is served
 * rather than an error.
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

    /**
     * What a client may spend on codes no cache knows, which cost a table read each: asked before such a read and
     * told when the table did not know the code either. Both may throw to refuse the request.
     */
    public interface MissBudget {

        /** No limit: every read is allowed and nothing is counted. */
        MissBudget UNLIMITED = new MissBudget() {
            @Override
            public void beforeTableRead() {}

            @Override
            public void missed() {}
        };

        /** Before the table is read for a code no cache knows as a link; throws when the budget is spent. */
        void beforeTableRead();

        /** The table does not know the code either; throws when this miss is beyond the budget. */
        void missed();
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
        return find(code, MissBudget.UNLIMITED);
    }

    /**
     * As {@link #find(String)}, with reads of codes that no cache knows charged to {@code misses}: answers from a
     * cache, and codes known as links (a stale in-process copy), never touch it.
     */
    public Result find(String code, MissBudget misses) {
        LocalLinkCache.Entry entry = local.get(code);
        if (entry != null && entry.freshAt(local.now())) {
            countHit(entry.value(), MetricNames.REDIRECT_HITS_MEMORY);
            return new Result(entry.value(), Source.LOCAL);
        }
        boolean redisAnswered = false;
        try {
            Optional<CachedLink> cached = redis.get(code);
            redisAnswered = true;
            if (cached.isPresent()) {
                local.put(code, cached.get());
                countHit(cached.get(), MetricNames.REDIRECT_HITS_REDIS);
                return new Result(cached.get(), Source.REDIS);
            }
        } catch (GuardedRedis.Unavailable e) {
            // counted and logged by GuardedRedis; DynamoDB answers instead
        }
        if (entry == null || !(entry.value() instanceof CachedLink.Found)) {
            misses.beforeTableRead();
        }
        Optional<Link> stored;
        try {
            stored = table.find(code);
        } catch (SdkException e) {
            metrics.increment(MetricNames.DYNAMODB_UNAVAILABLE);
            if (entry != null) {
                metrics.increment(MetricNames.STALE_SERVED);
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
        if (stored.isEmpty()) {
            // After the caches were filled: a refused miss is still remembered as unknown.
            misses.missed();
        }
        countHit(value, MetricNames.REDIRECT_HITS_DYNAMODB);
        return new Result(value, Source.DYNAMODB);
    }

    /**
     * Counts the tier that answered with a link, where that is decided, so hit rates can be read per tier. Answers
     * that a code is unknown are counted by the redirect as not found; a stale answer as {@code STALE_SERVED}.
     */
    private void countHit(CachedLink value, String tier) {
        if (value instanceof CachedLink.Found) {
            metrics.increment(tier);
        }
    }

    /** Drops a code from this instance's cache (after a delete, or when the table says it is gone). */
    public void forget(String code) {
        local.forget(code);
    }
}
