package dev.blocks.webhooks.store;

import dev.blocks.webhooks.domain.SecretSet;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decrypted secret sets kept in process for {@code ttl}, keyed by the item and its ciphertext: the deliverer
 * re-reads an endpoint every few seconds (its cache of endpoints), but calls KMS for its secrets once per
 * {@code ttl}. A rotation writes a new ciphertext, which is not in the cache: it is decrypted (and signs) as soon
 * as the endpoint is read again, well within {@code ttl}. What {@code ttl} bounds is how long a plaintext secret
 * stays in memory, and how long deliveries go on after the key's use is revoked.
 */
final class CachedSecrets implements SecretCipher {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(String ciphertext, SecretSet secrets, long expiresAt) {}

    private final SecretCipher cipher;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    CachedSecrets(SecretCipher cipher, Duration ttl, LongSupplier nanoClock) {
        this.cipher = cipher;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public String encrypt(SecretSet secrets, String context) {
        return cipher.encrypt(secrets, context);
    }

    @Override
    public SecretSet decrypt(String ciphertext, String context) {
        long now = nanoClock.getAsLong();
        Entry entry = entries.get(context);
        if (entry != null && entry.ciphertext.equals(ciphertext) && now - entry.expiresAt < 0) {
            return entry.secrets;
        }
        SecretSet secrets = cipher.decrypt(ciphertext, context);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(context, new Entry(ciphertext, secrets, now + ttlNanos));
        return secrets;
    }
}
