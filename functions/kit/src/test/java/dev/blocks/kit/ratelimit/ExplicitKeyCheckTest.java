package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link RateLimiter#check(Rule, String, long)}: one rule, on the counter of a key the caller names, with the
 * plain Java store on a clock the test moves (the scripts are held to the same maths by ScriptsMatchModelTest).
 */
class ExplicitKeyCheckTest {

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final RecordingStore store = new RecordingStore(new InProcessLimitStore(clock::get));

    private RateLimiter limiter(Rule... rules) {
        RuleSet set = RuleSet.of(rules);
        return new RateLimiter(store, () -> set, RateLimiterSettings.defaults());
    }

    @Test
    void eachKeyHasItsOwnCounterAndARefusalNamesWhenItWouldPass() {
        Rule rule = Rule.of("login", Algorithm.FIXED_WINDOW, 2, 60);
        // Remembered refusals run on the real clock, which this test does not move.
        RateLimiter limiter = new RateLimiter(store, () -> RuleSet.of(rule),
                RateLimiterSettings.defaults().withRememberRefusals(false));
        clock.set(60_000L * 28_333_334); // the start of a window

        Decision first = limiter.check(rule, "alice", 1);
        assertThat(first.allowed()).isTrue();
        assertThat(first.source()).isEqualTo(Decision.Source.COUNTED);
        assertThat(first.headline()).get().satisfies(o -> {
            assertThat(o.rule()).isEqualTo(rule);
            assertThat(o.remaining()).isEqualTo(1);
            assertThat(o.resetAfterMs()).isEqualTo(60_000);
        });
        assertThat(limiter.check(rule, "alice", 1).allowed()).isTrue();
        clock.addAndGet(15_000);
        Decision refused = limiter.check(rule, "alice", 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMs()).isEqualTo(45_000);
        assertThat(RateLimitHeaders.of(refused)).containsEntry("retry-after", "45")
                .containsEntry("x-ratelimit-remaining", "0").containsEntry("x-ratelimit-limit", "2")
                .containsEntry("ratelimit-policy", "\"login\";q=2;w=60");

        assertThat(limiter.check(rule, "bob", 1).allowed()).as("another key, another counter").isTrue();
        clock.addAndGet(45_000);
        assertThat(limiter.check(rule, "alice", 1).allowed()).as("the next window").isTrue();
    }

    @Test
    void theRulesRouteTierAndKeyByAreNotConsulted() {
        // A request-matching rule keyed by API key on one route and tier: the caller's key alone picks the counter.
        Rule rule = Rule.of("links", Algorithm.TOKEN_BUCKET, 1, 3600).withRoute("POST /v1/links").withTier("free")
                .withKeyBy(KeyPart.API_KEY, KeyPart.IP);
        RateLimiter limiter = limiter(rule);

        assertThat(limiter.check(rule, "caller-1", 1).allowed()).isTrue();
        assertThat(limiter.check(rule, "caller-1", 1).allowed()).isFalse();
        assertThat(store.keys).hasSize(2).allSatisfy(k -> assertThat(k).isEqualTo(store.keys.get(0)));

        // The same rule matched against a request counts elsewhere: named keys and matched requests never mix.
        Decision matched = limiter.check(LimitRequest.forRoute("POST /v1/links").withTier("free")
                .withApiKey("caller-1").withIp("192.0.2.1"));
        assertThat(matched.allowed()).isTrue();
        assertThat(store.keys.get(2)).isNotEqualTo(store.keys.get(0));
    }

    @Test
    void theKeyReachesTheStoreOnlyAsADigestOfFixedLength() {
        Rule rule = Rule.of("api", Algorithm.GCRA, 10, 60);
        RateLimiter limiter = limiter(rule);
        String secret = "bk_live_0123456789abcdef";
        String huge = "k".repeat(10_000) + "{}|:%";

        limiter.check(rule, secret, 1);
        limiter.check(rule, huge, 1);

        assertThat(store.keys.get(0)).startsWith("{rl}:api:gc10/60s:x=").doesNotContain(secret);
        assertThat(store.keys.get(1)).startsWith("{rl}:api:gc10/60s:x=").doesNotContain("kkkk").doesNotContain("|");
        assertThat(store.keys.get(0)).hasSameSizeAs(store.keys.get(1));
        assertThat(store.tags).containsOnly("rl");
    }

    @Test
    void underPerSubjectTagsEachKeyIsItsOwnHashTag() {
        Rule rule = Rule.of("api", Algorithm.SLIDING_WINDOW, 10, 60);
        RateLimiter limiter = new RateLimiter(store, () -> RuleSet.of(rule),
                RateLimiterSettings.defaults().withHashTags(HashTagPolicy.PER_SUBJECT));

        limiter.check(rule, "a", 1);
        limiter.check(rule, "b", 1);

        assertThat(store.tags.get(0)).startsWith("x=").isNotEqualTo(store.tags.get(1));
        assertThat(store.keys.get(0)).startsWith("rl:{" + store.tags.get(0) + "}:api:sw10/60s:");
    }

    @Test
    void costCountsInUnitsAndACostAboveTheCapacityCanNeverPass() {
        Rule rule = Rule.of("export", Algorithm.TOKEN_BUCKET, 10, 3600).withBurst(5);
        RateLimiter limiter = limiter(rule);

        Decision big = limiter.check(rule, "k", 15);
        assertThat(big.allowed()).as("limit + burst at once").isTrue();
        assertThat(big.headline()).get().extracting(RuleOutcome::remaining).isEqualTo(0L);

        Decision never = limiter.check(rule, "other", 16);
        assertThat(never.allowed()).isFalse();
        assertThat(never.retryAfterMs()).isEqualTo(-1);
        assertThat(RateLimitHeaders.of(never)).doesNotContainKey("retry-after");

        assertThatThrownBy(() -> limiter.check(rule, "k", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.check(rule, "", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.check(rule, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.check(null, "k", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyOverItsLimitIsRefusedInProcessUntilItsRetryTime() {
        Rule rule = Rule.of("hammered", Algorithm.SLIDING_LOG, 1, 60);
        RateLimiter limiter = limiter(rule);

        assertThat(limiter.check(rule, "attacker", 1).allowed()).isTrue();
        assertThat(limiter.check(rule, "attacker", 1).source()).isEqualTo(Decision.Source.COUNTED);
        int calls = store.calls.get();
        for (int i = 0; i < 50; i++) {
            Decision d = limiter.check(rule, "attacker", 1);
            assertThat(d.allowed()).isFalse();
            assertThat(d.source()).isEqualTo(Decision.Source.REMEMBERED);
        }
        assertThat(store.calls.get()).as("store calls while remembered").isEqualTo(calls);

        // A changed rule (another record) is not bound by what the old one remembered.
        Rule relaxed = Rule.of("hammered", Algorithm.SLIDING_LOG, 5, 60);
        assertThat(limiter.check(relaxed, "attacker", 1).source()).isEqualTo(Decision.Source.COUNTED);
        assertThat(limiter.check(relaxed, "attacker", 1).allowed()).isTrue();
    }

    @Test
    void aFailingStoreFallsBackToTheRulesFailMode() {
        LimitStore down = new LimitStore() {
            @Override
            public CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }

            @Override
            public CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
                return CompletableFuture.completedFuture(null);
            }
        };
        Rule open = Rule.of("open", Algorithm.GCRA, 1, 60);
        Rule closed = Rule.of("closed", Algorithm.GCRA, 1, 60).withFailMode(FailMode.CLOSED);
        RateLimiter limiter = new RateLimiter(down, () -> RuleSet.of(open, closed), RateLimiterSettings.defaults());

        Decision allowed = limiter.check(open, "k", 1);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.failedOpen()).isTrue();
        assertThat(allowed.rules()).containsExactly(open);

        Decision refused = limiter.check(closed, "k", 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.source()).isEqualTo(Decision.Source.FAIL_CLOSED);
        assertThat(refused.retryAfterMs()).isPositive();
        assertThat(limiter.metrics().get(RateLimitMetrics.FAIL_OPEN)).isEqualTo(1);
        assertThat(limiter.metrics().get(RateLimitMetrics.FAIL_CLOSED)).isEqualTo(1);
    }

    /** The in-process store, recording which counters it was asked about. */
    private static final class RecordingStore implements LimitStore {
        final LimitStore inner;
        final List<String> keys = new ArrayList<>();
        final List<String> tags = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        RecordingStore(LimitStore inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
            calls.incrementAndGet();
            checks.forEach(c -> {
                keys.add(c.key());
                tags.add(c.hashTag());
            });
            return inner.decide(checks, cost);
        }

        @Override
        public CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
            return inner.refund(checks, cost, admitted);
        }
    }
}
