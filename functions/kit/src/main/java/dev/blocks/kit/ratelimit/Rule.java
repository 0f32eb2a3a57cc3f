package dev.blocks.kit.ratelimit;

import dev.blocks.kit.validation.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rate limit: {@code limit} units per {@code windowSeconds} under {@code algorithm}, counted separately for
 * every distinct combination of the {@code keyBy} parts of a request (no parts: one counter for everyone),
 * applied to one {@code route} (null: every route) and one {@code tier} (null: every tier).
 *
 * <p>{@code burst} is extra capacity of the bucket algorithms: a token bucket or GCRA rule admits up to
 * limit + burst units at once and limit units per window sustained. The window algorithms refuse a burst.
 * A {@code shadow} rule is evaluated and reported but never refuses a request. {@code failMode} says what
 * happens to requests the rule applies to when Redis cannot answer.
 *
 * <p>{@code shared} matters only where callers name their own keys (the rate-limit function's check, through
 * {@link RateLimiter#check(Rule, String, long)}): a shared rule's counter for a key is the same for every tenant
 * that names it; otherwise each tenant (owner) has its own counters, so one tenant can neither spend nor read
 * another's. Rules matched to requests ({@link RateLimiter#check(LimitRequest)}) ignore it: their keys come from the
 * request, not from the caller.
 *
 * <p>Limits keep the scripts' integer arithmetic exact in Lua's doubles: (limit + burst) × window in ms stays
 * below 2^53.
 */
public record Rule(
        String id,
        String tier,
        Algorithm algorithm,
        long limit,
        long windowSeconds,
        long burst,
        List<KeyPart> keyBy,
        String route,
        FailMode failMode,
        boolean shadow,
        boolean shared) {

    public static final long MAX_LIMIT = 1_000_000_000L;
    public static final long MAX_SLIDING_LOG_LIMIT = 100_000L;
    public static final long MAX_WINDOW_SECONDS = 31L * 24 * 3600;
    /** (limit + burst) × windowSeconds × 1000 must stay below 2^53. */
    public static final long MAX_CAPACITY_SECONDS = (1L << 53) / 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ROUTE = Pattern.compile("(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|ANY) /\\S{0,250}|\\$default");

    public Rule {
        if (keyBy != null && keyBy.stream().anyMatch(Objects::isNull)) {
            throw new InvalidRuleException(List.of(new FieldError("keyBy", "contains null")));
        }
        keyBy = keyBy == null ? List.of() : List.copyOf(keyBy);
        failMode = failMode == null ? FailMode.OPEN : failMode;
        List<FieldError> errors = problems(id, tier, algorithm, limit, windowSeconds, burst, keyBy, route);
        if (!errors.isEmpty()) {
            throw new InvalidRuleException(errors);
        }
    }

    /** A rule whose counters are per tenant ({@code shared} false). */
    public Rule(String id, String tier, Algorithm algorithm, long limit, long windowSeconds, long burst,
            List<KeyPart> keyBy, String route, FailMode failMode, boolean shadow) {
        this(id, tier, algorithm, limit, windowSeconds, burst, keyBy, route, failMode, shadow, false);
    }

    /** A rule with no tier, route, burst or key parts (one counter for every request), failing open. */
    public static Rule of(String id, Algorithm algorithm, long limit, long windowSeconds) {
        return new Rule(id, null, algorithm, limit, windowSeconds, 0, List.of(), null, FailMode.OPEN, false, false);
    }

    public Rule withBurst(long newBurst) {
        return new Rule(id, tier, algorithm, limit, windowSeconds, newBurst, keyBy, route, failMode, shadow, shared);
    }

    public Rule withKeyBy(KeyPart... parts) {
        return new Rule(id, tier, algorithm, limit, windowSeconds, burst, List.of(parts), route, failMode, shadow, shared);
    }

    public Rule withRoute(String newRoute) {
        return new Rule(id, tier, algorithm, limit, windowSeconds, burst, keyBy, newRoute, failMode, shadow, shared);
    }

    public Rule withTier(String newTier) {
        return new Rule(id, newTier, algorithm, limit, windowSeconds, burst, keyBy, route, failMode, shadow, shared);
    }

    public Rule withFailMode(FailMode mode) {
        return new Rule(id, tier, algorithm, limit, windowSeconds, burst, keyBy, route, mode, shadow, shared);
    }

    public Rule withShadow(boolean newShadow) {
        return new Rule(id, tier, algorithm, limit, windowSeconds, burst, keyBy, route, failMode, newShadow, shared);
    }

    public Rule withShared(boolean newShared) {
        return new Rule(id, tier, algorithm, limit, windowSeconds, burst, keyBy, route, failMode, shadow, newShared);
    }

    public long windowMillis() {
        return windowSeconds * 1000;
    }

    /** The most units the rule ever admits at once: limit + burst. A request costing more never passes. */
    public long capacity() {
        return limit + burst;
    }

    /** Whether the rule counts this request: its route and tier match and the request has every keyBy part. */
    public boolean appliesTo(LimitRequest request) {
        if (route != null && !route.equals(request.route())) {
            return false;
        }
        if (tier != null && !tier.equals(request.tier())) {
            return false;
        }
        for (KeyPart part : keyBy) {
            String value = request.part(part);
            if (value == null || value.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    static List<FieldError> problems(String id, String tier, Algorithm algorithm, long limit, long windowSeconds,
            long burst, List<KeyPart> keyBy, String route) {
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !NAME.matcher(id).matches()) {
            errors.add(new FieldError("id", "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"));
        }
        if (tier != null && !NAME.matcher(tier).matches()) {
            errors.add(new FieldError("tier", "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"));
        }
        if (algorithm == null) {
            errors.add(new FieldError("algorithm", "is required"));
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        } else if (algorithm == Algorithm.SLIDING_LOG && limit > MAX_SLIDING_LOG_LIMIT) {
            errors.add(new FieldError("limit", "sliding_log stores one entry per admitted unit: at most "
                    + MAX_SLIDING_LOG_LIMIT + " (use sliding_window above that)"));
        }
        if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
            errors.add(new FieldError("windowSeconds", "must be between 1 and " + MAX_WINDOW_SECONDS));
        }
        if (burst < 0 || burst > MAX_LIMIT) {
            errors.add(new FieldError("burst", "must be between 0 and " + MAX_LIMIT));
        } else if (burst > 0 && algorithm != null && !algorithm.acceptsBurst()) {
            errors.add(new FieldError("burst", "only token_bucket and gcra hold a burst; " + algorithm.jsonName()
                    + " admits at most limit per window"));
        }
        if (errors.stream().noneMatch(e -> e.field().equals("limit") || e.field().equals("burst")
                || e.field().equals("windowSeconds"))
                && (limit + burst) > MAX_CAPACITY_SECONDS / windowSeconds) {
            errors.add(new FieldError("limit", "(limit + burst) × windowSeconds must not exceed "
                    + MAX_CAPACITY_SECONDS + " so that the counters stay exact"));
        }
        if (keyBy.size() != new HashSet<>(keyBy).size()) {
            errors.add(new FieldError("keyBy", "names a part twice"));
        }
        if (route != null && !ROUTE.matcher(route).matches()) {
            errors.add(new FieldError("route", "must be an HTTP API route key such as \"POST /v1/links\" or \"$default\""));
        }
        return errors;
    }
}
