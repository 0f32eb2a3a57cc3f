package dev.blocks.shortener.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.ratelimit.ConfiguredRules;
import dev.blocks.kit.ratelimit.InProcessLimitStore;
import dev.blocks.kit.ratelimit.LimitRequest;
import dev.blocks.kit.ratelimit.LimitStore;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.RuleCheck;
import dev.blocks.kit.ratelimit.RuleSet;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.MetricNames;
import io.smallrye.config.WithDefault;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Unknown codes limited per client IP with the kit's limiter, on its in-process store. */
class RuleMissLimitTest {

    private static final String ROUTE = "GET /{code}";

    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final AtomicInteger storeCalls = new AtomicInteger();
    private final Metrics metrics = new Metrics("blocks", "redirect", Duration.ofMinutes(1), new PrintStream(new ByteArrayOutputStream()));

    /** The kit's in-process store, counting how often the limiter asks it (Redis, when deployed). */
    private final LimitStore store = new LimitStore() {
        private final InProcessLimitStore counters = new InProcessLimitStore(millis::get);

        @Override
        public CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
            storeCalls.incrementAndGet();
            return counters.decide(checks, cost);
        }

        @Override
        public CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
            return counters.refund(checks, cost, admitted);
        }
    };

    private RuleMissLimit limit(int perMinute) {
        RuleSet rules = RuleSet.of(ConfiguredRules.read(parse("[{\"id\":\"misses\",\"algorithm\":\"fixed_window\",\"limit\":"
                + perMinute + ",\"windowSeconds\":60,\"keyBy\":[\"ip\"],\"route\":\"" + ROUTE + "\"}]")));
        // The limiter's own memory of refusals runs on the real clock; this test moves the store's and the limit's.
        return new RuleMissLimit(new RateLimiter(store, () -> rules, RateLimiterSettings.defaults().withRememberRefusals(false)),
                metrics, nanos::get);
    }

    private static Object parse(String json) {
        try {
            return new ObjectMapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static HttpRequest request(String ip) {
        return new HttpRequest(ROUTE, "GET", "/abcdefg", Map.of(), Map.of("code", "abcdefg"), Map.of(), List.of(),
                new byte[0], ip, "req", Map.of());
    }

    /** One lookup of an unknown code: asked before the read, then told of the miss. */
    private static void miss(MissLimit limit, String ip) {
        LinkLookup.MissBudget budget = limit.of(request(ip));
        budget.beforeTableRead();
        budget.missed();
    }

    private static HttpResponse refusal(Runnable call) {
        try {
            call.run();
        } catch (ProblemException e) {
            return e.toResponse();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void theDefaultRuleIsValidAndCountsRedirectsPerClientIp() throws Exception {
        String defaults = (String) ShortenerConfig.Misses.class.getMethod("rules").getAnnotation(WithDefault.class).value();
        RuleSet rules = RuleSet.of(ConfiguredRules.read(parse(defaults)));
        LimitRequest redirect = new LimitRequest(ROUTE, null, null, "203.0.113.9", null, 1);
        assertThat(rules.matching(redirect)).extracting(r -> r.id()).containsExactly("redirect-misses-per-ip");
        assertThat(rules.matching(redirect.withIp(null))).isEmpty();
        assertThat(rules.matching(redirect.withRoute("POST /v1/links"))).isEmpty();
    }

    @Test
    void aClientPastItsBudgetOfMissesIsRefusedWithRetryAfterWhileAnotherGoesOn() {
        RuleMissLimit limit = limit(3);
        for (int i = 0; i < 3; i++) {
            miss(limit, "198.51.100.7");
        }
        HttpResponse refused = refusal(() -> miss(limit, "198.51.100.7"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("content-type", "application/problem+json")
                .containsEntry("x-ratelimit-limit", "3").containsEntry("x-ratelimit-remaining", "0").containsKey("retry-after");
        assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(refused.body()).contains("rate-limited", "unknown codes");
        assertThat(metrics.total(MetricNames.MISSES_REFUSED)).isEqualTo(1);

        miss(limit, "198.51.100.8");
    }

    @Test
    void onceRefusedAClientsReadsAreRefusedInProcessUntilTheRetryTime() {
        RuleMissLimit limit = limit(2);
        miss(limit, "192.0.2.1");
        miss(limit, "192.0.2.1");
        HttpResponse refused = refusal(() -> miss(limit, "192.0.2.1"));
        long retryAfter = Long.parseLong(refused.headers().get("retry-after"));
        int calls = storeCalls.get();

        // Refused before the read: the limiter (a Redis round trip when deployed) is not asked again.
        HttpResponse early = refusal(() -> limit.of(request("192.0.2.1")).beforeTableRead());
        assertThat(early.status()).isEqualTo(429);
        assertThat(Long.parseLong(early.headers().get("retry-after"))).isBetween(1L, retryAfter);
        assertThat(storeCalls.get()).isEqualTo(calls);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(retryAfter));
        millis.addAndGet(TimeUnit.SECONDS.toMillis(retryAfter));
        limit.of(request("192.0.2.1")).beforeTableRead();
        miss(limit, "192.0.2.1");
    }

    @Test
    void hitsCostNothing() {
        RuleMissLimit limit = limit(1);
        for (int i = 0; i < 10; i++) {
            // A lookup that found its code was asked before the read and never told of a miss.
            limit.of(request("192.0.2.5")).beforeTableRead();
        }
        assertThat(storeCalls.get()).isZero();
        miss(limit, "192.0.2.5");
        assertThat(storeCalls.get()).isEqualTo(1);
    }

    @Test
    void anIpv6ClientIsItsSlash64AndAMappedIpv4AddressIsTheIpv4Client() {
        RuleMissLimit limit = limit(2);
        miss(limit, "2001:db8:1:2:aaaa::1");
        miss(limit, "2001:db8:1:2:bbbb::2");
        assertThat(refusal(() -> miss(limit, "2001:db8:1:2::3")).status()).isEqualTo(429);
        assertThat(refusal(() -> limit.of(request("2001:db8:1:2:cccc::4")).beforeTableRead()).status()).isEqualTo(429);
        miss(limit, "2001:db8:1:3::1");

        miss(limit, "192.0.2.77");
        miss(limit, "::ffff:192.0.2.77");
        assertThat(refusal(() -> miss(limit, "192.0.2.77")).status()).isEqualTo(429);
    }

    @Test
    void withoutAClientIpOrWithoutALimitNothingIsCounted() {
        RuleMissLimit limit = limit(1);
        for (int i = 0; i < 5; i++) {
            miss(limit, null);
            miss(limit, "");
            miss(MissLimit.NONE, "192.0.2.9");
        }
        assertThat(storeCalls.get()).isZero();
    }
}
