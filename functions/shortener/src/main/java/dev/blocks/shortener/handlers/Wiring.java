package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.config.FunctionConfig;
import dev.blocks.kit.ratelimit.ConfiguredRules;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.RuleSet;
import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import dev.blocks.shortener.domain.CacheTtl;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.CodeScrambler;
import dev.blocks.shortener.domain.VisitorId;
import dev.blocks.shortener.store.ClickPublisher;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.LocalLinkCache;
import dev.blocks.shortener.store.Metrics;
import dev.blocks.shortener.store.RedisCodeCounter;
import dev.blocks.shortener.store.RedisLinkCache;
import dev.blocks.shortener.store.RedisVisitors;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import io.quarkus.runtime.StartupEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the plain store and domain objects from configuration, as singletons (no client proxy on the hot path);
 * nothing in {@code domain} or {@code store} knows about CDI.
 */
@ApplicationScoped
class Wiring {

    private static final Logger LOG = Logger.getLogger(Wiring.class);

    @Produces
    @Singleton
    Metrics metrics(FunctionConfig function) {
        return new Metrics(function.function(), 60, System.out);
    }

    @Produces
    @Singleton
    GuardedRedis guardedRedis(Redis redis, ShortenerConfig config, Metrics metrics) {
        return new GuardedRedis(redis, config.redis().timeout(), config.redis().connectTimeout(),
                config.redis().retryAfter(), metrics);
    }

    @Produces
    @Singleton
    LinkTable linkTable(DynamoDbClient dynamo, ShortenerConfig config) {
        return new LinkTable(dynamo, config.table());
    }

    @Produces
    @Singleton
    RedisLinkCache redisLinkCache(GuardedRedis redis, ShortenerConfig config) {
        ShortenerConfig.Cache cache = config.cache();
        return new RedisLinkCache(redis, config.redis().keyPrefix(), new CacheTtl(cache.redisTtl(), cache.jitter()),
                new CacheTtl(cache.redisNegativeTtl(), cache.jitter()));
    }

    @Produces
    @Singleton
    RedisVisitors redisVisitors(GuardedRedis redis, ShortenerConfig config) {
        return new RedisVisitors(redis, config.redis().keyPrefix());
    }

    @Produces
    @Singleton
    LinkLookup linkLookup(RedisLinkCache redis, LinkTable table, Metrics metrics, ShortenerConfig config) {
        ShortenerConfig.Cache cache = config.cache();
        LocalLinkCache local = new LocalLinkCache(cache.localMaxEntries(), new CacheTtl(cache.localTtl(), cache.jitter()),
                new CacheTtl(cache.localNegativeTtl(), cache.jitter()), cache.localStaleLimit());
        return new LinkLookup(local, redis, table, metrics);
    }

    @Produces
    @Singleton
    CodeAllocator codeAllocator(GuardedRedis redis, LinkTable table, ShortenerConfig config) {
        RedisCodeCounter.Floor floor = new RedisCodeCounter.Floor() {
            @Override
            public long read() {
                return table.counterFloor();
            }

            @Override
            public void raiseTo(long value) {
                table.raiseCounterFloor(value);
            }
        };
        long margin = (long) config.codes().blockSize() * config.codes().floorMarginBlocks();
        return new CodeAllocator(new RedisCodeCounter(redis, config.redis().keyPrefix(), floor, margin),
                config.codes().blockSize(), CodeScrambler.forCodes(config.codes().key()));
    }

    @Produces
    @Singleton
    VisitorId visitorId(ShortenerConfig config) {
        return new VisitorId(config.clicks().visitorSecret());
    }

    @Produces
    @Singleton
    ClickPublisher clickPublisher(ShortenerConfig config, Metrics metrics) {
        ShortenerConfig.Kafka kafka = config.kafka();
        return new ClickPublisher(kafka.bootstrapServers().orElse(""), kafka.topic(), kafka.linger(),
                kafka.queueCapacity(), metrics);
    }

    /** Lambda runs this during the init phase, before the first invocation: the first request finds Redis connected. */
    void connectEarly(@Observes StartupEvent started, GuardedRedis redis, FunctionConfig function, ClickPublisher clicks,
                      Instance<RedisLimitStore> limits) {
        redis.warmUp();
        if (function.function().equals(Redirect.NAME)) {
            clicks.warmUp();
        }
        if (function.function().equals(LinksApi.NAME)) {
            // Loaded now, the first creation costs one EVALSHA rather than a NOSCRIPT round trip and a load,
            // which on a cold JVM would outlast the limiter's timeout and fail open.
            try {
                limits.get().load().toCompletableFuture().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("rate-limit scripts not loaded at start (%s); they are loaded on first use", e.toString());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    void closeClickPublisher(@Disposes ClickPublisher publisher) {
        publisher.flush(Duration.ofSeconds(1));
        publisher.close();
    }

    @Produces
    @Singleton
    RedisLimitStore limitStore(Redis redis) {
        return RedisLimitStore.of(redis);
    }

    @Produces
    @Singleton
    CreateLimit createLimit(RedisLimitStore store, ShortenerConfig config, ObjectMapper json) {
        ShortenerConfig.RateLimit settings = config.rateLimit();
        if (!settings.enabled()) {
            return CreateLimit.NONE;
        }
        RuleSet rules;
        try {
            rules = RuleSet.of(ConfiguredRules.read(json.readValue(settings.rules(), Object.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("SHORTENER_RATE_LIMIT_RULES is not JSON: " + e.getOriginalMessage(), e);
        }
        return new RuleCreateLimit(new RateLimiter(store, () -> rules,
                RateLimiterSettings.defaults().withTimeout(settings.timeout())));
    }
}
