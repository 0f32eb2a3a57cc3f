package dev.blocks.shortener.handlers;

import dev.blocks.kit.config.FunctionConfig;
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
import io.quarkus.arc.DefaultBean;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import io.quarkus.runtime.StartupEvent;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the plain store and domain objects from configuration, as singletons (no client proxy on the hot path);
 * nothing in {@code domain} or {@code store} knows about CDI.
 */
@ApplicationScoped
class Wiring {

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
    void connectEarly(@Observes StartupEvent started, GuardedRedis redis, FunctionConfig function, ClickPublisher clicks) {
        redis.warmUp();
        if (function.function().equals("redirect")) {
            clicks.warmUp();
        }
    }

    void closeClickPublisher(@Disposes ClickPublisher publisher) {
        publisher.flush(Duration.ofSeconds(1));
        publisher.close();
    }

    @Produces
    @DefaultBean
    @Singleton
    CreateLimit noCreateLimit() {
        return (caller, request) -> { };
    }
}
