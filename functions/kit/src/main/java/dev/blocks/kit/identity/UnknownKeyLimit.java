package dev.blocks.kit.identity;

import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.net.ClientIp;
import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.InProcessLimitStore;
import dev.blocks.kit.ratelimit.LimitStore;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleCheck;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The pre-auth limit: how many key lookups that find no valid key one client may cause. Each lookup of an uncached
 * key first reserves one unit of the client's budget; a lookup that finds a valid key gives it back, so only misses
 * (made-up or revoked keys) spend it, and known keys are never slowed. Once the budget is spent the client's
 * uncached keys are refused (429) before any DynamoDB read, so a flood of made-up keys costs reads only up to the
 * limit. Reserving before the read, not charging after it, keeps concurrent lookups of one client within the
 * limit as well.
 *
 * <p>Counters are the kit's token bucket maths ({@link InProcessLimitStore}) in this process: every HTTP function
 * has them, Redis or not. The bound is per warm instance: a client spread over n instances gets n budgets. That
 * suffices for what the limit is for: it turns "one read per request" into "limit reads per window per instance",
 * and the instances of a function are few and capped by its concurrency; what the gateway lets through at all is
 * the gateway's throttling (or a WAF rule) to decide. A client is an IPv4 address or an IPv6 /64
 * ({@link ClientIp#key}).
 */
final class UnknownKeyLimit {

    /** A reserved lookup: kept when the lookup misses, given back when it finds a valid key or fails. */
    interface Reservation {
        void giveBack();
    }

    private static final String TAG = "identity";

    private final Rule rule;
    private final InProcessLimitStore counters;

    UnknownKeyLimit(int limit, Duration window, LongSupplier clockMillis) {
        if (limit < 1) {
            throw new IllegalArgumentException("blocks.identity.unknown-key-limit must be at least 1, was " + limit);
        }
        if (window.toMillis() < 1000 || window.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("blocks.identity.unknown-key-window must be whole seconds, at least 1 s,"
                    + " was " + window);
        }
        this.rule = Rule.of("unknown-api-keys", Algorithm.TOKEN_BUCKET, limit, window.toSeconds());
        this.counters = new InProcessLimitStore(clockMillis);
    }

    /** Reserves one lookup for the client at {@code sourceIp}, or throws a 429 problem with Retry-After. */
    Reservation reserve(String sourceIp) {
        String client = sourceIp == null || sourceIp.isEmpty() ? "-" : ClientIp.key(sourceIp);
        List<RuleCheck> check = List.of(new RuleCheck(rule, client, TAG));
        LimitStore.Evaluation evaluation = counters.decide(check, 1).toCompletableFuture().join();
        if (!evaluation.admitted()) {
            long retryAfterSeconds = Math.max(1, (evaluation.verdicts().get(0).retryAfterMs() + 999) / 1000);
            throw ProblemException.tooManyRequests("too many requests with unknown API keys from this address; retry in "
                    + retryAfterSeconds + " s", retryAfterSeconds);
        }
        return () -> counters.refund(check, 1, evaluation);
    }
}
