package dev.blocks.kit.identity;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Identifies the caller of a management API: JWT claims from an HTTP API authorizer when present (the gateway
 * verified the token), else the {@code X-Api-Key} header checked against {@link ApiKeyStore}. A verified key is
 * cached in process for {@link IdentityConfig#cacheSeconds()}, so a warm function costs no lookup per request.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private static final int MAX_CACHED = 10_000;

    private record Cached(Caller caller, long expiresAtNanos) {}

    private final ApiKeyStore keys;
    private final long cacheNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    Authenticator(ApiKeyStore keys, IdentityConfig config) {
        this.keys = keys;
        this.cacheNanos = config.cacheSeconds() * 1_000_000_000L;
    }

    /** The caller, or a 401 problem. A key store outage is a 503, never a 500 or a silent pass. */
    public Caller authenticate(HttpRequest request) {
        Optional<Caller> fromJwt = fromClaims(request);
        if (fromJwt.isPresent()) {
            return fromJwt.get();
        }
        String key = request.header("x-api-key").orElse(null);
        if (key == null) {
            throw ProblemException.unauthorized("send an API key in X-Api-Key");
        }
        if (!ApiKeySecret.wellFormed(key)) {
            throw ProblemException.unauthorized("the API key is not valid");
        }
        String hash = ApiKeySecret.hash(key);
        Cached cached = cache.get(hash);
        long now = System.nanoTime();
        if (cached != null && now - cached.expiresAtNanos < 0) {
            return cached.caller;
        }
        Optional<ApiKeyStore.StoredKey> stored;
        try {
            stored = keys.find(key);
        } catch (SdkException e) {
            LOG.warnf("API key lookup failed: %s", e.toString());
            throw ProblemException.unavailable("cannot verify the API key right now", 1);
        }
        if (stored.isEmpty() || stored.get().revoked()) {
            cache.remove(hash);
            throw ProblemException.unauthorized("the API key is not valid");
        }
        Caller caller = new Caller(stored.get().owner(), stored.get().keyId());
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(hash, new Cached(caller, now + cacheNanos));
        return caller;
    }

    private static Optional<Caller> fromClaims(HttpRequest request) {
        String subject = request.claims().get("sub");
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        String issuer = request.claims().getOrDefault("iss", "authorizer");
        return Optional.of(new Caller(subject, "jwt:" + issuer));
    }
}
