package dev.blocks.kit.identity;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Identifies the caller of a management API: JWT claims from an HTTP API authorizer when present (the gateway
 * verified the token; the owner is {@code jwt:<issuer>#<sub>}, see {@link Caller}), else the {@code X-Api-Key}
 * header checked against {@link ApiKeyStore}. A verified key is cached in process for
 * {@link IdentityConfig#cacheSeconds()}, so a warm function costs no lookup per request. Lookups that find no
 * valid key are limited per client ({@link UnknownKeyLimit}): past the limit, an uncached key is answered 429
 * without a lookup.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private static final int MAX_CACHED = 10_000;

    private record Cached(Caller caller, long expiresAtNanos) {}

    private final ApiKeyStore keys;
    private final long cacheNanos;
    private final UnknownKeyLimit unknownKeys;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    Authenticator(ApiKeyStore keys, IdentityConfig config) {
        this(keys, config, System::currentTimeMillis);
    }

    Authenticator(ApiKeyStore keys, IdentityConfig config, LongSupplier clockMillis) {
        this.keys = keys;
        this.cacheNanos = config.cacheSeconds() * 1_000_000_000L;
        this.unknownKeys = new UnknownKeyLimit(config.unknownKeyLimit(), config.unknownKeyWindow(), clockMillis);
    }

    /**
     * The caller, or a 401 problem; 429 when the client's budget of unknown-key lookups is spent. A key store
     * outage is a 503, never a 500 or a silent pass.
     */
    public Caller authenticate(HttpRequest request) {
        Caller caller = identify(request);
        // The invocation's log lines name the owner from here on (FunctionDispatcher clears it afterwards).
        MDC.put("owner", caller.owner());
        return caller;
    }

    private Caller identify(HttpRequest request) {
        if (!request.claims().isEmpty()) {
            return fromClaims(request.claims());
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
        UnknownKeyLimit.Reservation reservation = unknownKeys.reserve(request.sourceIp());
        Optional<ApiKeyStore.StoredKey> stored;
        try {
            stored = keys.find(key);
        } catch (SdkException e) {
            reservation.giveBack();
            LOG.warnf("API key lookup failed: %s", e.toString());
            throw ProblemException.unavailable("cannot verify the API key right now", 1);
        }
        if (stored.isEmpty() || stored.get().revoked()) {
            cache.remove(hash);
            throw ProblemException.unauthorized("the API key is not valid");
        }
        if (Caller.isJwtOwner(stored.get().owner())) {
            // Stored before the admin refused such owners: it would impersonate a token's user.
            LOG.warnf("API key %s has an owner in the JWT namespace; refused", stored.get().keyId());
            throw ProblemException.unauthorized("the API key is not valid");
        }
        reservation.giveBack();
        Caller caller = new Caller(stored.get().owner(), stored.get().keyId());
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(hash, new Cached(caller, now + cacheNanos));
        return caller;
    }

    /**
     * The gateway verified the token, and its issuer is one the deployment trusts; still, claims without an issuer
     * or a subject cannot name an owner, and an issuer with '#' would make {@code jwt:<issuer>#<sub>} ambiguous.
     */
    private static Caller fromClaims(Map<String, String> claims) {
        String subject = claims.get("sub");
        String issuer = claims.get("iss");
        if (subject == null || subject.isBlank()) {
            throw ProblemException.unauthorized("the token names no subject (sub)");
        }
        if (issuer == null || issuer.isBlank() || issuer.indexOf('#') >= 0) {
            throw ProblemException.unauthorized("the token names no usable issuer (iss)");
        }
        return Caller.ofJwt(issuer, subject);
    }
}
