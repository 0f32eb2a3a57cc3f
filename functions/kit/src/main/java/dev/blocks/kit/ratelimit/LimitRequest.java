package dev.blocks.kit.ratelimit;

/**
 * What rules are matched and keyed on for one request: its API Gateway route key (e.g. {@code POST /v1/links}),
 * the caller's API key id, user id (from JWT claims), client IP and tier, and the request's cost in units
 * (1 unless a request is worth more). Absent parts are null; a rule keyed by a part the request lacks does not
 * apply to it. Pass an API key's id, not its secret; the key layout hashes it anyway, so a secret passed by
 * mistake never appears in Redis.
 */
public record LimitRequest(String route, String apiKey, String user, String ip, String tier, long cost) {

    public LimitRequest {
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1, was " + cost);
        }
    }

    public static LimitRequest forRoute(String route) {
        return new LimitRequest(route, null, null, null, null, 1);
    }

    public LimitRequest withRoute(String value) {
        return new LimitRequest(value, apiKey, user, ip, tier, cost);
    }

    public LimitRequest withApiKey(String value) {
        return new LimitRequest(route, value, user, ip, tier, cost);
    }

    public LimitRequest withUser(String value) {
        return new LimitRequest(route, apiKey, value, ip, tier, cost);
    }

    public LimitRequest withIp(String value) {
        return new LimitRequest(route, apiKey, user, value, tier, cost);
    }

    public LimitRequest withTier(String value) {
        return new LimitRequest(route, apiKey, user, ip, value, cost);
    }

    public LimitRequest withCost(long value) {
        return new LimitRequest(route, apiKey, user, ip, tier, value);
    }

    /** The request's value for one key part, or null. */
    public String part(KeyPart part) {
        return switch (part) {
            case API_KEY -> apiKey;
            case USER -> user;
            case IP -> ip;
            case ROUTE -> route;
        };
    }
}
