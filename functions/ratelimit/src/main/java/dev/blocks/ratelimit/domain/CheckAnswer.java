package dev.blocks.ratelimit.domain;

import dev.blocks.kit.ratelimit.Decision;
import dev.blocks.kit.ratelimit.RateLimitHeaders;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleOutcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code POST /v1/ratelimit/check} answers for one rule's decision: {@code allowed}, the rule's
 * {@code limit}, the units {@code remaining} and when the counter is fully restored ({@code resetAt}; when
 * refused, when the request would pass), {@code retryAfter} in whole seconds (0 when allowed, rounded up so a
 * client waiting that long is never early), and how the answer was reached ({@code source}; {@code failOpen}
 * when Redis could not be asked and the request was let through). Without a Redis answer, remaining and
 * resetAt are unknown (null). A shadow rule never refuses; {@code shadowRefused} says whether it would have.
 *
 * @param headers the kit's {@link RateLimitHeaders} (X-RateLimit-*, RateLimit-Policy, RateLimit, Retry-After),
 *     plus {@code x-ratelimit-fail-open: true} on a fail-open answer
 */
public record CheckAnswer(
        Rule rule,
        boolean allowed,
        Long remaining,
        Instant resetAt,
        long retryAfter,
        Decision.Source source,
        Boolean shadowRefused,
        Map<String, String> headers) {

    public static final String FAIL_OPEN_HEADER = "x-ratelimit-fail-open";

    public CheckAnswer {
        headers = Map.copyOf(headers);
    }

    /** The answer for {@code decision}, a decision about {@code rule} alone. */
    public static CheckAnswer of(Rule rule, Decision decision) {
        RuleOutcome outcome = decision.outcomes().stream().filter(o -> o.rule().equals(rule)).findFirst().orElse(null);
        Long remaining = outcome == null ? null : outcome.remaining();
        Instant resetAt = outcome == null ? null : Instant.ofEpochMilli(decision.timeMs() + outcome.resetAfterMs());
        long retryAfter = decision.allowed() ? 0 : seconds(decision.retryAfterMs());
        Boolean shadowRefused = rule.shadow() ? outcome != null && !outcome.allowed() : null;
        Map<String, String> headers = new LinkedHashMap<>(RateLimitHeaders.of(decision));
        if (decision.failedOpen()) {
            headers.put(FAIL_OPEN_HEADER, "true");
        }
        return new CheckAnswer(rule, decision.allowed(), remaining, resetAt, retryAfter, decision.source(), shadowRefused,
                headers);
    }

    public long limit() {
        return rule.limit();
    }

    public boolean failOpen() {
        return source == Decision.Source.FAIL_OPEN;
    }

    /** The source as it appears in JSON: {@code counted}, {@code remembered}, {@code fail_open}, {@code fail_closed}. */
    public String sourceName() {
        return source.name().toLowerCase(Locale.ROOT);
    }

    /** A sentence for a refusal's problem document. */
    public String refusal() {
        if (source == Decision.Source.FAIL_CLOSED) {
            return "the rate limiter cannot reach its store and rule " + rule.id() + " fails closed; retry in "
                    + retryAfter + " s";
        }
        String burst = rule.burst() > 0 ? " with a burst of " + rule.burst() : "";
        return "rule " + rule.id() + " allows " + rule.limit() + " per " + rule.windowSeconds() + " s" + burst
                + "; retry in " + retryAfter + " s";
    }

    private static long seconds(long millis) {
        if (millis < 0) {
            return -1;
        }
        return Math.max(1, Math.floorDiv(millis + 999, 1000));
    }
}
