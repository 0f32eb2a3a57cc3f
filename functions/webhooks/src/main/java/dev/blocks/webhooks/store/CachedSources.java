package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Sources by receive id, kept in process for {@code ttl}, secrets decrypted: a warm webhooks-in instance verifies
 * without a DynamoDB read or a KMS call. A changed configuration (a rotation, a deletion) reaches every instance
 * within {@code ttl}; rotating with two secrets covers that gap. Unknown ids are not cached, so a new source works
 * as soon as the table's index has it.
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

    public Optional<Source> find(String id) {
        long now = nanoClock.getAsLong();
        Entry entry = entries.get(id);
        if (entry != null && now - entry.expiresAt < 0) {
            return Optional.of(entry.source);
        }
        Optional<Source> source = table.findById(id);
        if (source.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(id, new Entry(source.get(), now + ttlNanos));
        } else {
            entries.remove(id);
        }
        return source;
    }

    /** Drops the cached copy after this instance changed the source. */
    public void forget(String id) {
        entries.remove(id);
    }
}
