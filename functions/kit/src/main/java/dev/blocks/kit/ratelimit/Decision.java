package dev.blocks.kit.ratelimit;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The limiter's answer for one request: whether it may proceed, how the answer was reached, and what each
 * matching rule said (when Redis was asked). {@code timeMs} is the clock the answer was made on: the Redis
 * server's when counted there, this process's otherwise. {@code retryAfterMs} is 0 when allowed, -1 when the
 * request can never pass (its cost exceeds a rule's capacity), else how long until it would.
 * {@link RateLimitHeaders} turns a decision into response headers.
 */
public record Decision(
        boolean allowed,
        Source source,
        long timeMs,
        long retryAfterMs,
        List<Rule> rules,
        List<RuleOutcome> outcomes) {

    /** How a decision was reached. */
    public enum Source {
        /** No rule applies to the request. */
        NO_RULE,
        /** Redis counted the request against every matching rule. */
        COUNTED,
        /** Refused in process: a matching rule's counter was already known to be over its limit until later. */
        REMEMBERED,
        /** Allowed without counting: Redis failed, timed out or its circuit breaker is open. */
        FAIL_OPEN,
        /** Refused without counting: as FAIL_OPEN, but a matching rule fails closed. */
        FAIL_CLOSED
    }

    public Decision {
        rules = List.copyOf(rules);
        outcomes = List.copyOf(outcomes);
    }

    /** Whether the request went through only because Redis could not be asked. */
    public boolean failedOpen() {
        return source == Source.FAIL_OPEN;
    }

    /** The rules that decide (shadow rules left out): what RateLimit-Policy advertises. */
    public List<Rule> enforcedRules() {
        return rules.stream().filter(r -> !r.shadow()).toList();
    }

    /**
     * The outcome a response advertises: when refused, the refusing rule that keeps the request out longest;
     * when allowed, the rule with the fewest units left (the strictest verdict wins). Shadow rules never headline.
     */
    public Optional<RuleOutcome> headline() {
        if (allowed) {
            return outcomes.stream().filter(o -> !o.rule().shadow())
                    .min(Comparator.comparingLong(RuleOutcome::remaining)
                            .thenComparing(Comparator.comparingLong(RuleOutcome::resetAfterMs).reversed()));
        }
        return outcomes.stream().filter(o -> !o.rule().shadow() && !o.allowed())
                .max(Comparator.comparingLong(o -> o.retryAfterMs() < 0 ? Long.MAX_VALUE : o.retryAfterMs()));
    }

    /** Shadow rules that would have refused this request had they been enforced. */
    public List<RuleOutcome> shadowRefusals() {
        return outcomes.stream().filter(o -> o.rule().shadow() && !o.allowed()).toList();
    }
}
