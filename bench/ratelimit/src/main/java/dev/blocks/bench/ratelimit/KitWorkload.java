package dev.blocks.bench.ratelimit;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.Decision;
import dev.blocks.kit.ratelimit.KeyPart;
import dev.blocks.kit.ratelimit.LimitRequest;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleSet;
import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import java.time.Duration;

/** The kit's {@link RateLimiter}, the one call functions make, over the Vert.x Redis client. */
final class KitWorkload implements Workload {

    private final String name;
    private final RateLimiter limiter;
    private final int keys;

    private KitWorkload(String name, RateLimiter limiter, int keys) {
        this.name = name;
        this.limiter = limiter;
        this.keys = keys;
    }

    /** One rule of {@code algorithm} per API key, with a limit no request of the run reaches. */
    static KitWorkload single(RedisLimitStore store, Algorithm algorithm, long limit, int keys) {
        Rule rule = Rule.of("bench-" + algorithm.jsonName(), algorithm, limit, 60).withKeyBy(KeyPart.API_KEY);
        return new KitWorkload("kit " + algorithm.jsonName(), limiter(store, RuleSet.of(rule)), keys);
    }

    /** Three layered rules in one script call: global GCRA, per-key token bucket, per-key-and-route window. */
    static KitWorkload layered(RedisLimitStore store, int keys) {
        RuleSet rules = RuleSet.of(
                Rule.of("bench-global", Algorithm.GCRA, 1_000_000_000, 60),
                Rule.of("bench-key", Algorithm.TOKEN_BUCKET, 1_000_000, 60).withBurst(1_000).withKeyBy(KeyPart.API_KEY),
                Rule.of("bench-route", Algorithm.SLIDING_WINDOW, 1_000_000, 60).withRoute("POST /v1/links")
                        .withKeyBy(KeyPart.API_KEY, KeyPart.ROUTE));
        return new KitWorkload("kit layered (3 rules)", limiter(store, rules), keys);
    }

    private static RateLimiter limiter(RedisLimitStore store, RuleSet rules) {
        // A generous timeout: the benchmark measures decisions, and a fail-open answer would not be one.
        return new RateLimiter(store, () -> rules, RateLimiterSettings.defaults().withTimeout(Duration.ofSeconds(5)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean decide(int thread, long i) {
        String key = "key-" + Math.floorMod(thread * 7919L + i, keys);
        Decision decision = limiter.check(LimitRequest.forRoute("POST /v1/links").withApiKey(key));
        if (decision.source() != Decision.Source.COUNTED) {
            throw new IllegalStateException(name + ": decision not counted by Redis: " + decision.source());
        }
        return decision.allowed();
    }
}
