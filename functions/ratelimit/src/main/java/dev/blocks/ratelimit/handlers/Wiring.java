package dev.blocks.ratelimit.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.config.FunctionConfig;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.ConfiguredRules;
import dev.blocks.kit.ratelimit.LimitStore;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.Rule;
import dev.blocks.kit.ratelimit.RuleCheck;
import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import dev.blocks.ratelimit.RateLimitConfig;
import dev.blocks.ratelimit.domain.RuleCache;
import dev.blocks.ratelimit.domain.RuleCatalog;
import dev.blocks.ratelimit.store.RuleTable;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the plain objects of the functions from configuration, as singletons; nothing in {@code domain} or
 * {@code store} knows about CDI. Configured rules are read (and refused, with every problem named) at start.
 */
@ApplicationScoped
class Wiring {

    private static final Logger LOG = Logger.getLogger(Wiring.class);
    /** Decisions sent at start so that the first real check finds Redis connected and the code path warm. */
    private static final int WARM_UP_DECISIONS = 20;

    @Produces
    @Singleton
    RuleTable ruleTable(DynamoDbClient dynamo, RateLimitConfig config, ObjectMapper json) {
        return new RuleTable(dynamo, config.rulesTable(), json);
    }

    @Produces
    @Singleton
    RuleCache ruleCache(RuleTable table, RateLimitConfig config, ObjectMapper json) {
        List<Rule> configured;
        try {
            configured = ConfiguredRules.read(json.readValue(config.rules(), Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("BLOCKS_RATELIMIT_RULES is not JSON: " + e.getOriginalMessage(), e);
        }
        return new RuleCache(configured, table, config.refresh(), System::nanoTime, new RuleCache.Listener() {
            @Override
            public void refreshed(RuleCatalog catalog, boolean changed) {
                if (changed) {
                    LOG.infof("rate-limit rules in force: %s", catalog.ruleSet());
                }
                if (changed && !catalog.overridden().isEmpty()) {
                    LOG.warnf("rules %s of the table are ignored: configured rules have their ids", catalog.overridden());
                }
            }

            @Override
            public void failed(RuntimeException error, boolean storedKnown) {
                LOG.warnf("reading the rules table failed (%s); %s", error.toString(),
                        storedKnown ? "the rules last read stay in force" : "only configured rules are known");
            }
        });
    }

    @Produces
    @Singleton
    RedisLimitStore limitStore(Redis redis) {
        return RedisLimitStore.of(redis);
    }

    @Produces
    @Singleton
    RateLimiter limiter(RedisLimitStore store, RuleCache rules, RateLimitConfig config, Metrics metrics) {
        RateLimiter limiter = new RateLimiter(store, () -> rules.lastRead().ruleSet(), config.limiterSettings());
        // The limiter keeps its own running totals (decisions, fail-opens, breaker changes); the function's one
        // metrics writer publishes how they moved.
        metrics.includeTotals(limiter.metrics()::snapshot);
        return limiter;
    }

    /**
     * Lambda runs this during the init phase of ratelimit-api: the script is loaded, the connection opened and
     * the rules read before the first check, which would otherwise pay for all three (and, on a cold JVM, could
     * exceed the Redis timeout and fail open). Failures are logged: a check then falls back as it always does.
     */
    void warmUp(@Observes StartupEvent started, FunctionConfig function, Instance<RedisLimitStore> stores,
            Instance<RuleCache> caches) {
        if (!function.function().equals(CheckApi.NAME)) {
            return;
        }
        caches.get().current();
        RedisLimitStore store = stores.get();
        try {
            store.load().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Rule rule = Rule.of("warm-up", Algorithm.FIXED_WINDOW, Rule.MAX_LIMIT, 1);
            List<RuleCheck> checks = List.of(new RuleCheck(rule, "{rl}:warm-up", "rl"));
            for (int i = 0; i < WARM_UP_DECISIONS; i++) {
                LimitStore.Evaluation evaluation = store.decide(checks, 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
                if (!evaluation.admitted()) {
                    break;
                }
            }
        } catch (Exception e) {
            LOG.warnf("Redis is not reachable at start (%s); checks fail open (or closed, per rule) until it is",
                    e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
