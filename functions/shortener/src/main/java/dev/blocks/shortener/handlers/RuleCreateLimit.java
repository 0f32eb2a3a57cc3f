package dev.blocks.shortener.handlers;

import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.Problem;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.identity.Caller;
import dev.blocks.kit.ratelimit.Decision;
import dev.blocks.kit.ratelimit.LimitRequest;
import dev.blocks.kit.ratelimit.RateLimitHeaders;
import dev.blocks.kit.ratelimit.RateLimiter;
import java.util.Map;

/**
 * Link creation limited by the kit's {@link RateLimiter}: every rule matching the route is checked in one Redis
 * round trip (by default one per API key and one per client IP), and the strictest verdict wins. Redis being down
 * or slow is the limiter's business: it answers by each rule's fail mode (open by default) within its timeout.
 */
final class RuleCreateLimit implements CreateLimit {

    /** Prefix of the credential of a caller known by authorizer claims rather than by an API key. */
    private static final String JWT_CREDENTIAL = "jwt:";

    private final RateLimiter limiter;

    RuleCreateLimit(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Map<String, String> check(Caller caller, HttpRequest request) {
        Decision decision = limiter.check(limitRequest(caller, request));
        Map<String, String> headers = RateLimitHeaders.of(decision);
        if (decision.allowed()) {
            return headers;
        }
        String detail = decision.retryAfterMs() < 0
                ? "this request can never pass the link creation limit"
                : "too many links created; retry after " + headers.getOrDefault("retry-after", "1") + " s";
        throw new ProblemException(Problem.of(429, "rate-limited", "Too many requests", detail), headers);
    }

    /**
     * The parts rules key on. Authorizer callers all share one credential per issuer, so they are keyed by user
     * (their owner) instead of by API key: one issuer's users never share a counter.
     */
    static LimitRequest limitRequest(Caller caller, HttpRequest request) {
        boolean byKey = !caller.credential().startsWith(JWT_CREDENTIAL);
        String ip = request.sourceIp() == null || request.sourceIp().isEmpty() ? null : request.sourceIp();
        return new LimitRequest(request.routeKey(), byKey ? caller.credential() : null, byKey ? null : caller.owner(), ip,
                null, 1);
    }
}
