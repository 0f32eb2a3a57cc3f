package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.blocks.kit.ratelimit.LimitStore.Evaluation;
import dev.blocks.kit.ratelimit.LimitStore.Verdict;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property tests: random request traces (times, costs, keys) replayed through the Lua scripts on a real
 * redis-server and through the plain Java maths ({@link InProcessLimitStore}) must give identical answers, to the
 * unit and the millisecond: verdict, remaining, reset, retry-after, for single rules of each algorithm and for
 * layered mixes with shadow rules and refunds. Both sides read the same pinned clock (the scripts accept a time
 * argument for exactly this), placed a day ahead of the server's, so no key expires for real while a trace runs
 * and each key's expiry can be compared with the reset time the model predicts. Seeds are fixed: a failure
 * names its seed and the steps that led to it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScriptsMatchModelTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

    private static final long DAY_MS = 86_400_000L;
    private static final int TRACES_PER_ALGORITHM = 30;
    private static final int LAYERED_TRACES = 60;
    private static final int STEPS = 120;

    private static TestRedis redis;
    private static boolean hasPexpiretime;

    @BeforeAll
    static void connect() {
        redis = TestRedis.connect(cloud.endpoints().redis());
        hasPexpiretime = redis.majorVersion() >= 7;
    }

    @AfterAll
    static void clean() {
        redis.command(Command.FLUSHALL);
        redis.close();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void singleRuleTracesAgreeWithTheModel(Algorithm algorithm) {
        for (int seed = 1; seed <= TRACES_PER_ALGORITHM; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 7919L + algorithm.ordinal());
            Rule rule = randomRule(random, "s" + seed, algorithm, seed % 10 == 0);
            new Trace(seed, random, List.of(rule), false).run();
        }
    }

    @Test
    void layeredTracesWithShadowRulesAndRefundsAgreeWithTheModel() {
        Algorithm[] algorithms = Algorithm.values();
        for (int seed = 1; seed <= LAYERED_TRACES; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 104729L);
            int count = random.nextInt(2, 5);
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Rule rule = randomRule(random, "l" + seed + "-" + i, algorithms[random.nextInt(algorithms.length)], false);
                KeyPart[] keyBy = switch (random.nextInt(4)) {
                    case 0 -> new KeyPart[0];
                    case 1 -> new KeyPart[] {KeyPart.API_KEY};
                    case 2 -> new KeyPart[] {KeyPart.IP};
                    default -> new KeyPart[] {KeyPart.API_KEY, KeyPart.IP};
                };
                rules.add(rule.withKeyBy(keyBy).withShadow(random.nextInt(5) == 0));
            }
            new Trace(seed, random, rules, true).run();
        }
    }

    /** Small limits and windows usually; every tenth trace near the largest values rules allow. */
    private static Rule randomRule(SplittableRandom random, String id, Algorithm algorithm, boolean huge) {
        long limit;
        long window;
        long burst = 0;
        if (huge && algorithm != Algorithm.SLIDING_LOG) {
            limit = random.nextLong(100_000_000L, Rule.MAX_LIMIT + 1);
            burst = algorithm.acceptsBurst() ? random.nextLong(0, limit) : 0;
            window = Math.max(1, random.nextLong(1, Rule.MAX_CAPACITY_SECONDS / (limit + burst) + 1));
        } else {
            limit = random.nextLong(1, 13);
            window = random.nextLong(1, 6);
            burst = algorithm.acceptsBurst() && random.nextBoolean() ? random.nextLong(1, 7) : 0;
        }
        return Rule.of(id, algorithm, limit, window).withBurst(burst).withKeyBy(KeyPart.API_KEY);
    }

    private static final class Trace {
        final int seed;
        final SplittableRandom random;
        final List<Rule> rules;
        final boolean refunds;
        final AtomicLong clock;
        final LimitStore lua;
        final LimitStore model;
        final KeyLayout layout = new KeyLayout(HashTagPolicy.ONE_SLOT);
        final Deque<String> history = new ArrayDeque<>();
        final long minWindow;
        final long minLimit;
        final long maxCapacity;

        Trace(int seed, SplittableRandom random, List<Rule> rules, boolean refunds) {
            this.seed = seed;
            this.random = random;
            this.rules = rules;
            this.refunds = refunds;
            this.clock = new AtomicLong(redis.serverTimeMillis() + DAY_MS + random.nextLong(0, 10_000));
            this.lua = redis.store().withPinnedClock(clock::get);
            this.model = new InProcessLimitStore(clock::get);
            this.minWindow = rules.stream().mapToLong(Rule::windowMillis).min().orElseThrow();
            this.minLimit = rules.stream().mapToLong(Rule::limit).min().orElseThrow();
            this.maxCapacity = rules.stream().mapToLong(Rule::capacity).max().orElseThrow();
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                clock.addAndGet(nextGap());
                LimitRequest request = LimitRequest.forRoute("POST /v1/links")
                        .withApiKey("key-" + random.nextInt(2))
                        .withIp("10.0.0." + random.nextInt(2))
                        .withCost(nextCost());
                List<RuleCheck> checks = rules.stream().map(r -> layout.check(r, request)).toList();
                Evaluation expected = model.decide(checks, request.cost()).toCompletableFuture().join();
                Evaluation actual = lua.decide(checks, request.cost()).toCompletableFuture().join();
                remember("t=+" + (clock.get() % 100_000) + " cost=" + request.cost() + " key=" + request.apiKey()
                        + " ip=" + request.ip() + " -> " + describe(actual));
                compare(step, expected, actual);
                checkExpiries(step, checks, actual);
                if (refunds && actual.admitted() && random.nextInt(8) == 0) {
                    clock.addAndGet(random.nextLong(0, 50));
                    model.refund(checks, request.cost(), expected).toCompletableFuture().join();
                    lua.refund(checks, request.cost(), actual).toCompletableFuture().join();
                    remember("  refunded at t=+" + (clock.get() % 100_000));
                }
            }
        }

        long nextGap() {
            int kind = random.nextInt(100);
            if (kind < 10) {
                return 0;
            }
            if (kind < 60) {
                return random.nextLong(0, 2 * minWindow / minLimit + 2);
            }
            if (kind < 92) {
                return random.nextLong(0, minWindow + 1);
            }
            return random.nextLong(minWindow, 3 * minWindow + 1);
        }

        long nextCost() {
            int kind = random.nextInt(100);
            if (kind < 75) {
                return 1;
            }
            if (kind < 95) {
                return random.nextLong(1, Math.min(maxCapacity, 5_000) + 1);
            }
            return maxCapacity + random.nextLong(1, 3);
        }

        void compare(int step, Evaluation expected, Evaluation actual) {
            boolean same = expected.serverTimeMs() == actual.serverTimeMs()
                    && expected.admitted() == actual.admitted()
                    && expected.verdicts().size() == actual.verdicts().size();
            for (int i = 0; same && i < expected.verdicts().size(); i++) {
                Verdict e = expected.verdicts().get(i);
                Verdict a = actual.verdicts().get(i);
                same = e.allowed() == a.allowed() && e.remaining() == a.remaining() && e.resetAtMs() == a.resetAtMs()
                        && e.retryAfterMs() == a.retryAfterMs();
            }
            if (!same) {
                fail("seed " + seed + " step " + step + " rules " + rules + "\nexpected " + describe(expected)
                        + "\nactual   " + describe(actual) + "\nlast steps:\n" + String.join("\n", history));
            }
        }

        /**
         * A key lives exactly until its state is as good as fresh: its expiry is the reset the model predicts
         * (refunds may leave it later, never earlier), and a counter that is fresh has no live key.
         */
        void checkExpiries(int step, List<RuleCheck> checks, Evaluation actual) {
            List<String> keys = new ArrayList<>();
            List<Long> resets = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                RuleCheck check = checks.get(i);
                long reset = actual.verdicts().get(i).resetAtMs();
                keys.add(check.key());
                resets.add(reset);
                if (check.rule().algorithm() == Algorithm.SLIDING_LOG) {
                    keys.add(check.key() + ":seq");
                    resets.add(reset);
                }
            }
            List<Long> expiries = expiries(keys);
            long now = clock.get();
            for (int i = 0; i < keys.size(); i++) {
                long expiry = expiries.get(i);
                long reset = resets.get(i);
                String where = "seed " + seed + " step " + step + " key " + keys.get(i) + " reset " + reset
                        + " expiry " + expiry + "\nlast steps:\n" + String.join("\n", history);
                assertThat(expiry).as("a counter key without expiry: " + where).isNotEqualTo(-1L);
                if (reset > now) {
                    if (refunds) {
                        assertThat(expiry).as(where).isGreaterThanOrEqualTo(reset - tolerance());
                    } else {
                        assertThat(expiry).as(where).isBetween(reset - tolerance(), reset + tolerance());
                    }
                } else if (!refunds) {
                    assertThat(expiry == -2 || expiry <= now + tolerance()).as("a fresh counter with a live key: " + where).isTrue();
                }
            }
        }

        void remember(String line) {
            history.addLast(line);
            if (history.size() > 12) {
                history.removeFirst();
            }
        }
    }

    /** Redis 6.2 has no PEXPIRETIME; PTTL between two equal TIME readings pins expiry to within a millisecond. */
    private static long tolerance() {
        return hasPexpiretime ? 0 : 1;
    }

    /** Each key's absolute expiry in ms, -2 when the key does not exist, -1 when it has none. */
    private static List<Long> expiries(List<String> keys) {
        List<Request> requests = new ArrayList<>();
        for (String key : keys) {
            if (hasPexpiretime) {
                requests.add(Request.cmd(Command.PEXPIRETIME).arg(key));
            } else {
                // PTTL counts from the moment it runs, TIME from its own: a stall between the two (a loaded machine)
                // would shift the sum. So the clock is read on both sides of PTTL until both fall in one millisecond.
                requests.add(Request.cmd(Command.EVAL).arg("local function ms() local t = redis.call('TIME')"
                        + " return t[1] * 1000 + math.floor(t[2] / 1000) end"
                        + " for i = 1, 1000 do local a = ms() local p = redis.call('PTTL', KEYS[1]) local b = ms()"
                        + " if p < 0 then return p end if a == b then return a + p end end"
                        + " return redis.error_reply('the clock never held still across PTTL')").arg(1).arg(key));
            }
        }
        try {
            List<Response> responses = redis.client().batch(requests).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return responses.stream().map(Response::toLong).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Evaluation evaluation) {
        StringBuilder text = new StringBuilder(evaluation.admitted() ? "ADMIT" : "REFUSE");
        for (Verdict v : evaluation.verdicts()) {
            text.append(" [").append(v.allowed() ? "ok" : "no").append(" rem=").append(v.remaining())
                    .append(" reset=+").append(v.resetAtMs() - evaluation.serverTimeMs())
                    .append(" retry=").append(v.retryAfterMs()).append(']');
        }
        return text.toString();
    }
}
