package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.breaker.CircuitBreaker;
import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis-server is killed while a client keeps making requests, then started again (empty, as a restarted cache
 * node is): every request is answered throughout, those of fail-open rules allowed and marked fail-open, those
 * of a fail-closed rule refused; the circuit breaker keeps the dead server from being asked more than the
 * breaker's probes; and limiting resumes once Redis is back, the script reloaded after NOSCRIPT.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RedisOutageTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

    private static final int BREAKER_FAILURES = 3;

    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = TestRedis.connect(cloud.endpoints().redis());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    /** One answered request of the background client. */
    record Answer(String key, Decision decision) {}

    @Test
    void requestsAreAnsweredThroughAnOutageAndLimitingResumesAfterIt() throws Exception {
        Rule perKey = Rule.of("outage-per-key", Algorithm.SLIDING_LOG, 5, 60).withKeyBy(KeyPart.API_KEY)
                .withRoute("POST /v1/links");
        Rule uploads = Rule.of("outage-uploads", Algorithm.TOKEN_BUCKET, 100, 60).withRoute("POST /v1/uploads")
                .withFailMode(FailMode.CLOSED);
        // Which state the breaker was in whenever a call went to Redis (the store itself is the real one).
        AtomicReference<RateLimiter> limiterRef = new AtomicReference<>();
        Map<CircuitBreaker.State, AtomicInteger> callsByState = new ConcurrentHashMap<>();
        RedisLimitStore redisStore = redis.store();
        LimitStore observed = new LimitStore() {
            @Override
            public CompletionStage<Evaluation> decide(List<RuleCheck> checks, long cost) {
                callsByState.computeIfAbsent(limiterRef.get().breakerState(), s -> new AtomicInteger()).incrementAndGet();
                return redisStore.decide(checks, cost);
            }

            @Override
            public CompletionStage<Void> refund(List<RuleCheck> checks, long cost, Evaluation admitted) {
                return redisStore.refund(checks, cost, admitted);
            }
        };
        // Errors from a killed server are immediate; the long timeout keeps a busy test machine from opening the
        // breaker before the outage does.
        RateLimiter limiter = new RateLimiter(observed, () -> RuleSet.of(perKey, uploads), RateLimiterSettings.defaults()
                .withTimeout(Duration.ofSeconds(1)).withBreaker(BREAKER_FAILURES, Duration.ofMillis(200)));
        limiterRef.set(limiter);
        redisStore.load().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger(RateLimiter.class.getName());
        log.addHandler(capture);

        // The background client: every request from a new visitor, one in four from one abusive key.
        List<Answer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        Thread client = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                String key = i % 4 == 0 ? "abuser" : "visitor-" + i;
                try {
                    answers.add(new Answer(key, limiter.check(LimitRequest.forRoute("POST /v1/links").withApiKey(key))));
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
                i++;
            }
        }, "outage-client");
        client.start();
        boolean down = false;
        try {
            Poll.until(Duration.ofSeconds(10), "the abuser refused by Redis", () -> answers.stream().anyMatch(a ->
                    a.key().equals("abuser") && a.decision().source() == Decision.Source.COUNTED && !a.decision().allowed()));

            cloud.killService("redis");
            down = true;
            int callsBefore = calls(callsByState);
            int killedAt = answers.size();
            Poll.until(Duration.ofSeconds(10), "the breaker to open", () -> limiter.breakerState() == CircuitBreaker.State.OPEN);
            Poll.until(Duration.ofSeconds(10), "200 answers with Redis down", () -> answers.size() > killedAt + 200);

            Decision upload = limiter.check(LimitRequest.forRoute("POST /v1/uploads").withApiKey("visitor-x"));
            assertThat(upload.allowed()).isFalse();
            assertThat(upload.source()).isEqualTo(Decision.Source.FAIL_CLOSED);
            assertThat(RateLimitHeaders.of(upload)).containsKey("retry-after");

            int callsDuringOutage = calls(callsByState) - callsBefore;
            cloud.startService("redis");
            down = false;
            int restartedAt = answers.size();
            // Copied whole first: a view of a list the client thread still appends to fails when it changes.
            List<Answer> outage = List.copyOf(answers).subList(killedAt, restartedAt);
            assertThat(outage).filteredOn(a -> a.key().startsWith("visitor"))
                    .allSatisfy(a -> assertThat(a.decision().allowed()).isTrue())
                    .filteredOn(a -> a.decision().failedOpen()).hasSizeGreaterThan(100);
            // An open breaker keeps requests away from Redis altogether: only CLOSED-state calls (the ones that
            // found it dead) and HALF_OPEN probes reached it, a handful against hundreds of answers.
            assertThat(callsByState).doesNotContainKey(CircuitBreaker.State.OPEN);
            assertThat(outage.size()).as("answers while Redis was down, against calls to it").isGreaterThan(10 * callsDuringOutage);

            Poll.until(Duration.ofSeconds(10), "requests counted by Redis again", () -> answers.size() > restartedAt
                    && answers.get(answers.size() - 1).decision().source() == Decision.Source.COUNTED);
        } finally {
            running.set(false);
            client.join(10_000);
            log.removeHandler(capture);
            if (down) {
                cloud.startService("redis");
            }
        }
        assertThat(failures).as("requests that threw instead of being answered").hasValue(0);
        assertThat(limiter.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);

        // Limiting resumed: a key hammered after the restart is refused by Redis after its limit.
        for (int i = 0; i < 5; i++) {
            Decision decision = limiter.check(LimitRequest.forRoute("POST /v1/links").withApiKey("after"));
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.source()).isEqualTo(Decision.Source.COUNTED);
        }
        Decision sixth = limiter.check(LimitRequest.forRoute("POST /v1/links").withApiKey("after"));
        assertThat(sixth.allowed()).isFalse();
        assertThat(sixth.source()).isEqualTo(Decision.Source.COUNTED);

        RateLimitMetrics metrics = limiter.metrics();
        assertThat(metrics.get(RateLimitMetrics.FAIL_OPEN)).isGreaterThan(100);
        assertThat(metrics.get(RateLimitMetrics.BREAKER_OPENED)).isPositive();
        assertThat(metrics.get(RateLimitMetrics.BREAKER_CLOSED)).isPositive();
        // One log line per state change, the opening one a warning.
        assertThat(logged).hasSize((int) (metrics.get(RateLimitMetrics.BREAKER_OPENED)
                + metrics.get(RateLimitMetrics.BREAKER_HALF_OPENED) + metrics.get(RateLimitMetrics.BREAKER_CLOSED)));
        assertThat(logged.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(logged.get(0).getParameters()).containsExactly(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
                logged.get(0).getParameters()[2]);
        assertThat(redis.command(Command.SCRIPT, "EXISTS", redisStore.scriptSha()).get(0).toLong())
                .as("script reloaded after the restart").isEqualTo(1);
    }

    private static int calls(Map<CircuitBreaker.State, AtomicInteger> callsByState) {
        return callsByState.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
