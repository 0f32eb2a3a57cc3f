package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final long NOW = 1_800_000_000_250L;
    private final Rule perKey = Rule.of("per-key", Algorithm.TOKEN_BUCKET, 100, 60).withBurst(20).withKeyBy(KeyPart.API_KEY);
    private final Rule global = Rule.of("global", Algorithm.SLIDING_WINDOW, 1000, 60);
    private final Rule trial = Rule.of("trial", Algorithm.FIXED_WINDOW, 5, 60).withShadow(true);

    @Test
    void anAllowedRequestAdvertisesTheRuleWithTheFewestUnitsLeft() {
        Decision decision = new Decision(true, Decision.Source.COUNTED, NOW, 0, List.of(perKey, global, trial), List.of(
                new RuleOutcome(perKey, true, 7, 14_400, 0),
                new RuleOutcome(global, true, 990, 60_000, 0),
                new RuleOutcome(trial, false, 0, 30_000, 30_000)));
        assertThat(RateLimitHeaders.of(decision)).containsExactly(
                entry("ratelimit-policy", "\"per-key\";q=100;w=60, \"global\";q=1000;w=60"),
                entry("x-ratelimit-limit", "100"),
                entry("x-ratelimit-remaining", "7"),
                entry("x-ratelimit-reset", "1800000015"),
                entry("ratelimit", "\"per-key\";r=7;t=15"));
    }

    @Test
    void aRefusedRequestNamesTheMomentItWouldPassEverywhere() {
        Decision decision = new Decision(false, Decision.Source.COUNTED, NOW, 1_200, List.of(perKey, global), List.of(
                new RuleOutcome(perKey, false, 0, 1_200, 1_200),
                new RuleOutcome(global, true, 990, 60_000, 0)));
        assertThat(RateLimitHeaders.of(decision)).containsExactly(
                entry("ratelimit-policy", "\"per-key\";q=100;w=60, \"global\";q=1000;w=60"),
                entry("x-ratelimit-limit", "100"),
                entry("x-ratelimit-remaining", "0"),
                entry("x-ratelimit-reset", "1800000002"),
                entry("ratelimit", "\"per-key\";r=0;t=2"),
                entry("retry-after", "2"));
    }

    @Test
    void aRequestThatCanNeverPassGetsNoRetryAfter() {
        Decision decision = new Decision(false, Decision.Source.COUNTED, NOW, -1, List.of(perKey), List.of(
                new RuleOutcome(perKey, false, 120, 0, -1)));
        assertThat(RateLimitHeaders.of(decision)).doesNotContainKey("retry-after").containsEntry("x-ratelimit-remaining", "120");
    }

    @Test
    void withoutRedisOnlyThePolicyIsKnown() {
        Decision open = new Decision(true, Decision.Source.FAIL_OPEN, NOW, 0, List.of(perKey), List.of());
        assertThat(RateLimitHeaders.of(open)).containsExactly(entry("ratelimit-policy", "\"per-key\";q=100;w=60"));
        Decision closed = new Decision(false, Decision.Source.FAIL_CLOSED, NOW, 400, List.of(perKey), List.of());
        assertThat(RateLimitHeaders.of(closed)).containsExactly(entry("ratelimit-policy", "\"per-key\";q=100;w=60"),
                entry("retry-after", "1"));
    }

    private static Map.Entry<String, String> entry(String name, String value) {
        return Map.entry(name, value);
    }
}
