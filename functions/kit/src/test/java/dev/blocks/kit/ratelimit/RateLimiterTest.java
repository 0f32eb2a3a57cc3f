package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The limiter on a real redis-server: round trips, layered verdicts, shadow rules, memory, refunds, NOSCRIPT. */
class RateLimiterTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

    private static TestRedis redis;

    @BeforeAll
    static void connect() throws Exception {
        redis = TestRedis.connect(cloud.endpoints().redis());
        redis.store().load().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    private static RateLimiter limiter(RateLimiterSettings settings, Rule... rules) {
        RuleSet set = RuleSet.of(rules);
        return new RateLimiter(redis.store(), () -> set, settings.withTimeout(Duration.ofSeconds(5)));
    }

    private static String unique(String id) {
        return id + "-" + System.nanoTime();
    }

    @Test
    void layeredRulesTakeOneRoundTripAndARefusalConsumesNothing() {
        // Windows and rates chosen so that nothing refills while the test runs: remaining only moves by requests.
        Rule global = Rule.of(unique("global"), Algorithm.SLIDING_LOG, 1000, 60);
        Rule perKey = Rule.of(unique("per-key"), Algorithm.TOKEN_BUCKET, 3, 3600).withKeyBy(KeyPart.API_KEY);
        Rule route = Rule.of(unique("links"), Algorithm.GCRA, 100, 3600).withRoute("POST /v1/links")
                .withKeyBy(KeyPart.ROUTE);
        Rule trial = Rule.of(unique("trial"), Algorithm.SLIDING_LOG, 1, 60).withKeyBy(KeyPart.API_KEY).withShadow(true);
        RateLimiter limiter = limiter(RateLimiterSettings.defaults().withRememberRefusals(false), global, perKey, route, trial);
        LimitRequest request = LimitRequest.forRoute("POST /v1/links").withApiKey("k1").withIp("192.0.2.1");

        long before = redis.evalshaCalls();
        Decision[] decisions = new Decision[4];
        for (int i = 0; i < 4; i++) {
            decisions[i] = limiter.check(request);
        }
        assertThat(redis.evalshaCalls() - before).as("EVALSHA calls for 4 decisions of 4 rules").isEqualTo(4);
        assertThat(decisions).allSatisfy(d -> assertThat(d.source()).isEqualTo(Decision.Source.COUNTED));

        assertThat(decisions[0].allowed()).isTrue();
        assertThat(decisions[2].allowed()).isTrue();
        assertThat(outcome(decisions[2], perKey).remaining()).isZero();
        Decision refused = decisions[3];
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.headline()).get().extracting(RuleOutcome::rule).isEqualTo(perKey);
        assertThat(refused.retryAfterMs()).isPositive();
        // The refused request took nothing from the rules that allowed it.
        assertThat(outcome(refused, global).remaining()).isEqualTo(outcome(decisions[2], global).remaining());
        assertThat(outcome(refused, route).remaining()).isEqualTo(outcome(decisions[2], route).remaining());

        // The shadow rule refused from the second request on, and never blocked anything.
        assertThat(decisions[0].shadowRefusals()).isEmpty();
        assertThat(decisions[1].shadowRefusals()).extracting(RuleOutcome::rule).containsExactly(trial);
        assertThat(decisions[1].allowed()).isTrue();

        Map<String, String> headers = RateLimitHeaders.of(refused);
        assertThat(headers.get("ratelimit-policy")).contains(perKey.id(), global.id(), route.id()).doesNotContain(trial.id());
        assertThat(headers).containsEntry("x-ratelimit-limit", "3").containsEntry("x-ratelimit-remaining", "0")
                .containsKey("retry-after").containsKey("x-ratelimit-reset");
        assertThat(headers.get("ratelimit")).startsWith("\"" + perKey.id() + "\";r=0;t=");
    }

    @Test
    void aKeyOverItsLimitIsRefusedInProcessWithoutARoundTrip() {
        // No window boundary or refill can intervene while the test runs.
        Rule perKey = Rule.of(unique("per-key"), Algorithm.TOKEN_BUCKET, 2, 3600).withKeyBy(KeyPart.API_KEY);
        RateLimiter limiter = limiter(RateLimiterSettings.defaults(), perKey);
        LimitRequest hammer = LimitRequest.forRoute("GET /v1/links/{code}").withApiKey("attacker");

        long before = redis.evalshaCalls();
        assertThat(limiter.check(hammer).allowed()).isTrue();
        assertThat(limiter.check(hammer).allowed()).isTrue();
        Decision counted = limiter.check(hammer);
        assertThat(counted.allowed()).isFalse();
        assertThat(counted.source()).isEqualTo(Decision.Source.COUNTED);
        for (int i = 0; i < 100; i++) {
            Decision remembered = limiter.check(hammer);
            assertThat(remembered.allowed()).isFalse();
            assertThat(remembered.source()).isEqualTo(Decision.Source.REMEMBERED);
            assertThat(remembered.retryAfterMs()).isPositive().isLessThanOrEqualTo(counted.retryAfterMs());
        }
        assertThat(redis.evalshaCalls() - before).as("EVALSHA calls for 103 decisions").isEqualTo(3);
        assertThat(limiter.metrics().get(RateLimitMetrics.REMEMBERED)).isEqualTo(100);

        // Another key is still counted by Redis.
        assertThat(limiter.check(hammer.withApiKey("someone-else")).source()).isEqualTo(Decision.Source.COUNTED);
        assertThat(redis.evalshaCalls() - before).isEqualTo(4);
    }

    @Test
    void perSubjectHashTagsSplitTheCallAndRefundWhatTheOtherSlotsReserved() {
        Rule perKey = Rule.of(unique("per-key"), Algorithm.TOKEN_BUCKET, 10, 3600).withKeyBy(KeyPart.API_KEY);
        Rule perIp = Rule.of(unique("per-ip"), Algorithm.SLIDING_LOG, 2, 60).withKeyBy(KeyPart.IP);
        Rule global = Rule.of(unique("global"), Algorithm.GCRA, 1000, 3600);
        RateLimiter limiter = limiter(RateLimiterSettings.defaults().withRememberRefusals(false)
                .withHashTags(HashTagPolicy.PER_SUBJECT), perKey, perIp, global);
        LimitRequest fromA = LimitRequest.forRoute("POST /v1/links").withApiKey("k1").withIp("192.0.2.1");

        long before = redis.evalshaCalls();
        assertThat(limiter.check(fromA).allowed()).isTrue();
        assertThat(limiter.check(fromA).allowed()).isTrue();
        assertThat(redis.evalshaCalls() - before).as("one EVALSHA per hash tag").isEqualTo(6);
        Decision refused = limiter.check(fromA);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.headline()).get().extracting(RuleOutcome::rule).isEqualTo(perIp);
        // The key's and the global slot admitted the request before the IP's refused it: both are refunded.
        Poll.until(Duration.ofSeconds(5), "the two refunds", () -> redis.evalshaCalls() - before == 9 + 2);
        assertThat(limiter.metrics().get(RateLimitMetrics.REFUNDS)).isEqualTo(2);

        Decision fromB = limiter.check(fromA.withIp("192.0.2.2"));
        assertThat(fromB.allowed()).isTrue();
        assertThat(outcome(fromB, perKey).remaining()).as("10 − 2 admitted − this one").isEqualTo(7);
        assertThat(outcome(fromB, global).remaining()).isEqualTo(1000 - 3);
    }

    @Test
    void theScriptIsLoadedAgainWhenRedisAnswersNoScript() {
        Rule rule = Rule.of(unique("reload"), Algorithm.GCRA, 5, 1);
        RateLimiter limiter = limiter(RateLimiterSettings.defaults(), rule);
        redis.command(Command.SCRIPT, "FLUSH");
        assertThat(redis.command(Command.SCRIPT, "EXISTS", redis.store().scriptSha()).get(0).toLong()).isZero();

        Decision decision = limiter.check(LimitRequest.forRoute("GET /"));
        assertThat(decision.source()).isEqualTo(Decision.Source.COUNTED);
        assertThat(decision.allowed()).isTrue();
        assertThat(redis.command(Command.SCRIPT, "EXISTS", redis.store().scriptSha()).get(0).toLong()).isEqualTo(1);
    }

    @Test
    void unreachableRedisFailsOpenUnlessAMatchingRuleFailsClosed() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Vertx vertx = Vertx.vertx();
        try {
            Redis nowhere = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + deadPort));
            Rule links = Rule.of("links", Algorithm.TOKEN_BUCKET, 100, 60).withRoute("POST /v1/links");
            Rule uploads = Rule.of("uploads", Algorithm.TOKEN_BUCKET, 10, 60).withRoute("POST /v1/uploads")
                    .withFailMode(FailMode.CLOSED);
            RateLimiter limiter = new RateLimiter(RedisLimitStore.of(nowhere), () -> RuleSet.of(links, uploads),
                    RateLimiterSettings.defaults());

            Decision open = limiter.check(LimitRequest.forRoute("POST /v1/links"));
            assertThat(open.allowed()).isTrue();
            assertThat(open.failedOpen()).isTrue();
            assertThat(RateLimitHeaders.of(open)).containsOnlyKeys("ratelimit-policy");

            Decision closed = limiter.check(LimitRequest.forRoute("POST /v1/uploads"));
            assertThat(closed.allowed()).isFalse();
            assertThat(closed.source()).isEqualTo(Decision.Source.FAIL_CLOSED);
            assertThat(RateLimitHeaders.of(closed)).containsKeys("ratelimit-policy", "retry-after");

            Decision unlimited = limiter.check(LimitRequest.forRoute("GET /health"));
            assertThat(unlimited.source()).isEqualTo(Decision.Source.NO_RULE);
            assertThat(RateLimitHeaders.of(unlimited)).isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void aSlowRedisIsWaitedForOnlyUntilTheTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            // One connection: the decision queues behind a script that keeps the server busy for two seconds.
            Redis single = Redis.createClient(vertx, new RedisOptions().setConnectionString(cloud.endpoints().redis())
                    .setMaxPoolSize(1).setMaxPoolWaiting(16));
            single.send(Request.cmd(Command.PING)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Rule rule = Rule.of(unique("slow"), Algorithm.FIXED_WINDOW, 100, 60);
            RateLimiter limiter = new RateLimiter(RedisLimitStore.of(single), () -> RuleSet.of(rule),
                    RateLimiterSettings.defaults().withTimeout(Duration.ofMillis(50)));

            var busy = single.send(Request.cmd(Command.EVAL).arg("local s = redis.call('TIME') local n repeat"
                    + " n = redis.call('TIME') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 2000000 return 1").arg(0))
                    .toCompletionStage().toCompletableFuture();
            Decision waited = limiter.check(LimitRequest.forRoute("GET /"));
            assertThat(waited.allowed()).isTrue();
            assertThat(waited.source()).isEqualTo(Decision.Source.FAIL_OPEN);
            assertThat(limiter.metrics().get(RateLimitMetrics.REDIS_TIMEOUTS)).isEqualTo(1);

            busy.get(30, TimeUnit.SECONDS);
            Poll.until(Duration.ofSeconds(10), "a counted decision once the server is free",
                    () -> limiter.check(LimitRequest.forRoute("GET /")).source() == Decision.Source.COUNTED);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static RuleOutcome outcome(Decision decision, Rule rule) {
        List<RuleOutcome> found = decision.outcomes().stream().filter(o -> o.rule().equals(rule)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
