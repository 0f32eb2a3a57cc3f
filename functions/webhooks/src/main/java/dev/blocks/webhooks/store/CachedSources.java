package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Sources kept in process for {@code ttl}, secrets decrypted: a warm webhooks-in instance verifies without a
 * DynamoDB read or a KMS call. A changed configuration (a rotation) reaches every instance within {@code ttl};
 * rotating with two secrets covers that gap. Unknown names are not cached, so a new source works at once.
 */
public final class CachedSources {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Source source, long expiresAt) {}

    private final SourceTable table;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public CachedSources(SourceTable table, Duration ttl, LongSupplier nanoClock) {
        this.table = table;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    public Optional<Source> find(String name) {
        long now = nanoClock.getAsLong();
        Entry entry = entries.get(name);
        if (entry != null && now - entry.expiresAt < 0) {
            return Optional.of(entry.source);
        }
        Optional<Source> source = table.find(name);
        if (source.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(name, new Entry(source.get(), now + ttlNanos));
        } else {
            entries.remove(name);
        }
        return source;
    }

    /** Drops the cached copy after this instance changed the source. */
    public void forget(String name) {
        entries.remove(name);
    }
}
