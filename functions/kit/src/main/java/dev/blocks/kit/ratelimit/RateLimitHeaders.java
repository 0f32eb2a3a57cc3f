package dev.blocks.kit.ratelimit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Response headers for a decision, names in lower case as API Gateway hands them on:
 * <ul>
 * <li>{@code x-ratelimit-limit}, {@code x-ratelimit-remaining}, {@code x-ratelimit-reset} (Unix seconds) of the
 *     headline rule (see {@link Decision#headline()});</li>
 * <li>IETF {@code ratelimit-policy}: every enforced rule as {@code "id";q=limit;w=windowSeconds};</li>
 * <li>IETF {@code ratelimit}: the headline rule as {@code "id";r=remaining;t=seconds};</li>
 * <li>{@code retry-after} (seconds) when refused, unless the request can never pass.</li>
 * </ul>
 * When refused, the reset values name the same moment as Retry-After (as the IETF draft asks); when allowed, the
 * moment the headline counter is fully restored. Seconds round up, so a client waiting that long is never early.
 * Without a Redis answer (fail open or closed) only the policy is known, so only it (and Retry-After) is sent.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {}

    public static Map<String, String> of(Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<Rule> enforced = decision.enforcedRules();
        if (!enforced.isEmpty()) {
            StringBuilder policy = new StringBuilder();
            for (Rule rule : enforced) {
                if (!policy.isEmpty()) {
                    policy.append(", ");
                }
                policy.append(quoted(rule.id())).append(";q=").append(rule.limit()).append(";w=").append(rule.windowSeconds());
            }
            headers.put("ratelimit-policy", policy.toString());
        }
        Optional<RuleOutcome> headline = decision.headline();
        if (headline.isPresent()) {
            RuleOutcome outcome = headline.get();
            long resetSeconds = seconds(outcome.resetAfterMs());
            headers.put("x-ratelimit-limit", Long.toString(outcome.rule().limit()));
            headers.put("x-ratelimit-remaining", Long.toString(outcome.remaining()));
            headers.put("x-ratelimit-reset", Long.toString(seconds(decision.timeMs() + outcome.resetAfterMs())));
            headers.put("ratelimit", quoted(outcome.rule().id()) + ";r=" + outcome.remaining() + ";t=" + resetSeconds);
        }
        if (!decision.allowed() && decision.retryAfterMs() >= 0) {
            headers.put("retry-after", Long.toString(Math.max(1, seconds(decision.retryAfterMs()))));
        }
        return headers;
    }

    private static long seconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    /** A Structured Fields string: rule ids are plain ASCII, so only quote and backslash need escaping. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
