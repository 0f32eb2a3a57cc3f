package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.Endpoint;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Endpoints kept in process by the deliverer for {@code ttl}, secrets decrypted, deleted ones too (as absent): a
 * burst of messages to one endpoint costs one read per {@code ttl}, not one per message. A change made through the
 * API (URL, secret, disabling) reaches deliveries within {@code ttl}.
 */
public final class CachedEndpoints {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<Endpoint> endpoint, long expiresAt) {}

    private final EndpointTable table;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public CachedEndpoints(EndpointTable table, Duration ttl, LongSupplier nanoClock) {
        this.table = table;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    public Optional<Endpoint> find(String owner, String id) {
        long now = nanoClock.getAsLong();
        String key = owner + "/" + id;
        Entry entry = entries.get(key);
        if (entry != null && now - entry.expiresAt < 0) {
            return entry.endpoint;
        }
        Optional<Endpoint> endpoint = table.find(owner, id);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(endpoint, now + ttlNanos));
        return endpoint;
    }

    /** Replaces the cached copy with what this instance just learned. */
    public void remember(Endpoint endpoint) {
        entries.put(endpoint.owner() + "/" + endpoint.id(), new Entry(Optional.of(endpoint), nanoClock.getAsLong() + ttlNanos));
    }

    public void forget(String owner, String id) {
        entries.remove(owner + "/" + id);
    }
}
