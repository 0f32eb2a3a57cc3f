package dev.blocks.shortener.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.blocks.shortener.domain.CacheTtl;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The in-process cache of hot codes: a hit costs no network round trip. An entry is fresh for a short jittered
 * lifetime, which bounds how long another instance keeps redirecting a deleted link; after that it is kept,
 * stale, for a longer while, only to be served when neither Redis nor DynamoDB answers.
 */
public final class LocalLinkCache {

    /** A cached answer and until when (in {@link System#nanoTime()} terms) it may be served without asking. */
    public record Entry(CachedLink value, long freshUntilNanos) {
        public boolean freshAt(long nanos) {
            return nanos - freshUntilNanos < 0;
        }
    }

    private final Cache<String, Entry> entries;
    private final CacheTtl ttl;
    private final CacheTtl negativeTtl;
    private final LongSupplier clock;

    public LocalLinkCache(int maxEntries, CacheTtl ttl, CacheTtl negativeTtl, Duration staleLimit) {
        this(maxEntries, ttl, negativeTtl, staleLimit, System::nanoTime);
    }

    LocalLinkCache(int maxEntries, CacheTtl ttl, CacheTtl negativeTtl, Duration staleLimit, LongSupplier clock) {
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(staleLimit).build();
        this.ttl = ttl;
        this.negativeTtl = negativeTtl;
        this.clock = clock;
    }

    public Entry get(String code) {
        return entries.getIfPresent(code);
    }

    public void put(String code, CachedLink value) {
        CacheTtl lifetime = value instanceof CachedLink.Found ? ttl : negativeTtl;
        entries.put(code, new Entry(value, clock.getAsLong() + lifetime.sample(ThreadLocalRandom.current()).toNanos()));
    }

    public void forget(String code) {
        entries.invalidate(code);
    }

    public long now() {
        return clock.getAsLong();
    }
}
