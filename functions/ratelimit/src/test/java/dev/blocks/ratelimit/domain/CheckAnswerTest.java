package dev.blocks.ratelimit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.Decision;
import dev.blocks.kit.ratelimit.FailMode;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckAnswerTest {

    private static final long NOW = 1_700_000_000_123L;
    private static final Rule RULE = Rule.of("login", Algorithm.FIXED_WINDOW, 10, 60);

    @Test
    void anAllowedRequestSaysWhatIsLeftAndWhenTheCounterIsFull() {
        Decision decision = new Decision(true, Decision.Source.COUNTED, NOW, 0, List.of(RULE),
                List.of(new RuleOutcome(RULE, true, 7, 42_500, 0)));

        CheckAnswer answer = CheckAnswer.of(RULE, decision);

        assertThat(answer.allowed()).isTrue();
        assertThat(answer.limit()).isEqualTo(10);
        assertThat(answer.remaining()).isEqualTo(7);
        assertThat(answer.resetAt()).isEqualTo(Instant.ofEpochMilli(NOW + 42_500));
        assertThat(answer.retryAfter()).isZero();
        assertThat(answer.sourceName()).isEqualTo("counted");
        assertThat(answer.failOpen()).isFalse();
        assertThat(answer.shadowRefused()).isNull();
        assertThat(answer.headers()).containsEntry("x-ratelimit-limit", "10").containsEntry("x-ratelimit-remaining", "7")
                .containsEntry("ratelimit-policy", "\"login\";q=10;w=60").containsKeys("x-ratelimit-reset", "ratelimit")
                .doesNotContainKeys("retry-after", CheckAnswer.FAIL_OPEN_HEADER);
    }

    @Test
    void aRefusalRoundsTheRetryUpToWholeSeconds() {
        Decision decision = new Decision(false, Decision.Source.COUNTED, NOW, 12_001, List.of(RULE),
                List.of(new RuleOutcome(RULE, false, 0, 12_001, 12_001)));

        CheckAnswer answer = CheckAnswer.of(RULE, decision);

        assertThat(answer.allowed()).isFalse();
        assertThat(answer.retryAfter()).isEqualTo(13);
        assertThat(answer.resetAt()).isEqualTo(Instant.ofEpochMilli(NOW + 12_001));
        assertThat(answer.headers()).containsEntry("retry-after", "13").containsEntry("x-ratelimit-remaining", "0");
        assertThat(answer.refusal()).isEqualTo("rule login allows 10 per 60 s; retry in 13 s");

        Decision soon = new Decision(false, Decision.Source.REMEMBERED, NOW, 1, List.of(RULE),
                List.of(new RuleOutcome(RULE, false, 0, 1, 1)));
        assertThat(CheckAnswer.of(RULE, soon).retryAfter()).as("never 0 when refused").isEqualTo(1);
        assertThat(CheckAnswer.of(RULE, soon).sourceName()).isEqualTo("remembered");
    }

    @Test
    void failingOpenIsMarkedAndLeavesWhatRedisWouldHaveSaidUnknown() {
        Decision decision = new Decision(true, Decision.Source.FAIL_OPEN, NOW, 0, List.of(RULE), List.of());

        CheckAnswer answer = CheckAnswer.of(RULE, decision);

        assertThat(answer.allowed()).isTrue();
        assertThat(answer.failOpen()).isTrue();
        assertThat(answer.sourceName()).isEqualTo("fail_open");
        assertThat(answer.remaining()).isNull();
        assertThat(answer.resetAt()).isNull();
        assertThat(answer.headers()).containsEntry(CheckAnswer.FAIL_OPEN_HEADER, "true")
                .containsEntry("ratelimit-policy", "\"login\";q=10;w=60").doesNotContainKey("x-ratelimit-remaining");
    }

    @Test
    void failingClosedIsARefusalThatSaysWhy() {
        Rule strict = RULE.withFailMode(FailMode.CLOSED);
        Decision decision = new Decision(false, Decision.Source.FAIL_CLOSED, NOW, 800, List.of(strict), List.of());

        CheckAnswer answer = CheckAnswer.of(strict, decision);

        assertThat(answer.allowed()).isFalse();
        assertThat(answer.failOpen()).isFalse();
        assertThat(answer.retryAfter()).isEqualTo(1);
        assertThat(answer.headers()).containsEntry("retry-after", "1");
        assertThat(answer.refusal()).contains("cannot reach its store").contains("fails closed");
    }

    @Test
    void aShadowRuleNeverRefusesButSaysWhetherItWould() {
        Rule shadow = Rule.of("trial", Algorithm.TOKEN_BUCKET, 5, 60).withBurst(2).withShadow(true);
        Decision decision = new Decision(true, Decision.Source.COUNTED, NOW, 0, List.of(shadow),
                List.of(new RuleOutcome(shadow, false, 0, 9_000, 9_000)));

        CheckAnswer answer = CheckAnswer.of(shadow, decision);

        assertThat(answer.allowed()).isTrue();
        assertThat(answer.shadowRefused()).isTrue();
        assertThat(answer.remaining()).isZero();
        assertThat(answer.retryAfter()).isZero();
        assertThat(answer.headers()).as("shadow rules advertise nothing").isEmpty();
    }
}
