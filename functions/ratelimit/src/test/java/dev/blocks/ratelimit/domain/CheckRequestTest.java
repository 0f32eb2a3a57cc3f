package dev.blocks.ratelimit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.validation.FieldError;
import dev.blocks.kit.ratelimit.InProcessLimitStore;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleSet;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckRequestTest {

    @Test
    void costDefaultsToOne() {
        assertThat(CheckRequest.read(Map.of("rule", "login", "key", "alice")))
                .isEqualTo(new CheckRequest("login", "alice", 1));
        assertThat(CheckRequest.read(Map.of("rule", "login", "key", "alice", "cost", 7L)).cost()).isEqualTo(7);
        assertThat(CheckRequest.read(Map.of("rule", "login", "key", "alice", "cost", 3.0)).cost()).isEqualTo(3);
    }

    @Test
    void everyBadFieldIsNamed() {
        Map<String, Object> body = new HashMap<>();
        body.put("rule", 12);
        body.put("key", "");
        body.put("cost", 1.5);
        body.put("tier", "gold");
        CheckRequest.Invalid invalid = catchThrowableOfType(() -> CheckRequest.read(body), CheckRequest.Invalid.class);

        assertThat(invalid.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("rule", "key", "cost", "tier");
    }

    @Test
    void missingFieldsAreRequiredAndCostsBelowOneOrHugeAreRefused() {
        assertThat(catchThrowableOfType(() -> CheckRequest.read(Map.of()), CheckRequest.Invalid.class).errors())
                .containsExactlyInAnyOrder(new FieldError("rule", "is required"), new FieldError("key", "is required"));
        for (Object cost : new Object[] {0, -1, "2", true, new BigInteger("99999999999999999999")}) {
            assertThat(catchThrowableOfType(() -> CheckRequest.read(Map.of("rule", "r", "key", "k", "cost", cost)),
                    CheckRequest.Invalid.class).errors()).extracting(FieldError::field).as("cost %s", cost).containsExactly("cost");
        }
    }

    @Test
    void keysAreBounded() {
        assertThat(CheckRequest.read(Map.of("rule", "r", "key", "k".repeat(CheckRequest.MAX_KEY_LENGTH))).key())
                .hasSize(CheckRequest.MAX_KEY_LENGTH);
        assertThat(catchThrowableOfType(() -> CheckRequest.read(Map.of("rule", "r", "key",
                "k".repeat(CheckRequest.MAX_KEY_LENGTH + 1))), CheckRequest.Invalid.class).errors())
                .extracting(FieldError::field).containsExactly("key");
    }

    @Test
    void aCostAboveWhatTheRuleEverAdmitsIsAProblem() {
        Rule window = Rule.of("w", Algorithm.SLIDING_WINDOW, 10, 60);
        Rule bucket = Rule.of("b", Algorithm.TOKEN_BUCKET, 10, 60).withBurst(5);

        assertThat(new CheckRequest("w", "k", 10).costProblem(window)).isEmpty();
        assertThat(new CheckRequest("w", "k", 11).costProblem(window)).get()
                .satisfies(e -> assertThat(e.field()).isEqualTo("cost"))
                .satisfies(e -> assertThat(e.message()).contains("limit = 10"));
        assertThat(new CheckRequest("b", "k", 15).costProblem(bucket)).isEmpty();
        assertThat(new CheckRequest("b", "k", 16).costProblem(bucket)).get()
                .satisfies(e -> assertThat(e.message()).contains("limit + burst = 15"));
    }

    @Test
    void twoTenantsNamingTheSameKeyHaveTwoCounters() {
        Rule login = Rule.of("login", Algorithm.FIXED_WINDOW, 2, 60);
        RateLimiter limiter = new RateLimiter(new InProcessLimitStore(), RuleSet::empty, RateLimiterSettings.defaults());
        CheckRequest check = new CheckRequest("login", "user-1", 1);

        assertThat(limiter.check(login, check.counterKey(login, "tenant-a"), 1).allowed()).isTrue();
        assertThat(limiter.check(login, check.counterKey(login, "tenant-a"), 1).allowed()).isTrue();
        assertThat(limiter.check(login, check.counterKey(login, "tenant-a"), 1).allowed()).isFalse();
        assertThat(limiter.check(login, check.counterKey(login, "tenant-b"), 1).allowed())
                .as("tenant B's user-1 is not tenant A's").isTrue();
        assertThat(limiter.check(login, check.counterKey(login, null), 1).allowed())
                .as("anonymous callers are a namespace of their own").isTrue();
    }

    @Test
    void aSharedRuleIsOneCounterForEveryone() {
        Rule login = Rule.of("login", Algorithm.FIXED_WINDOW, 2, 60).withShared(true);
        RateLimiter limiter = new RateLimiter(new InProcessLimitStore(), RuleSet::empty, RateLimiterSettings.defaults());
        CheckRequest check = new CheckRequest("login", "user-1", 1);

        assertThat(limiter.check(login, check.counterKey(login, "tenant-a"), 1).allowed()).isTrue();
        assertThat(limiter.check(login, check.counterKey(login, "tenant-b"), 1).allowed()).isTrue();
        assertThat(limiter.check(login, check.counterKey(login, null), 1).allowed()).isFalse();
    }

    @Test
    void noOwnerAndKeyCombineIntoAnotherPair() {
        Rule rule = Rule.of("r", Algorithm.GCRA, 10, 60);
        assertThat(new CheckRequest("r", "b:c", 1).counterKey(rule, "a"))
                .isNotEqualTo(new CheckRequest("r", "c", 1).counterKey(rule, "a:b"));
        assertThat(new CheckRequest("r", "x", 1).counterKey(rule, "shared"))
                .isNotEqualTo(new CheckRequest("r", "x", 1).counterKey(rule.withShared(true), "shared"))
                .isNotEqualTo(new CheckRequest("r", "x", 1).counterKey(rule, null));
        assertThat(new CheckRequest("r", "x", 1).counterKey(rule, "anonymous"))
                .isNotEqualTo(new CheckRequest("r", "x", 1).counterKey(rule, null));
    }
}
