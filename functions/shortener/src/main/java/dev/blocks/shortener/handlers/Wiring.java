package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.config.FunctionConfig;
import dev.blocks.kit.metrics.Metrics;
import dev.blocks.kit.ratelimit.ConfiguredRules;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.RuleSet;
import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import dev.blocks.shortener.domain.CacheTtl;
import dev.blocks.shortener.domain.CodeAllocator;
import dev.blocks.shortener.domain.CodeScrambler;
import dev.blocks.shortener.domain.DurableBlockSource;
import dev.blocks.shortener.domain.VisitorId;
import dev.blocks.kit.sqs.QueueUrls;
import dev.blocks.shortener.store.ClickPublisher;
import dev.blocks.shortener.store.ClickSpool;
import dev.blocks.shortener.store.GuardedRedis;
import dev.blocks.shortener.store.LinkLookup;
import dev.blocks.shortener.store.LinkTable;
import dev.blocks.shortener.store.LocalLinkCache;
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
import jakarta.annotation.Priority;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the plain store and domain objects from configuration, as singletons (no client proxy on the hot path);
 * nothing in {@code domain} or {@code store} knows about CDI.
 */
@ApplicationScoped
class Wiring {

    private static final Logger LOG = Logger.getLogger(Wiring.class);

    /** Shortest visitor-hash secret accepted: 32 random characters are well beyond guessing. */
    static final int MIN_SECRET_CHARS = 32;

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

    /** Claims refused in a row before a create fails: one per concurrent process that claimed a later block. */
    static final int BLOCK_CLAIM_ATTEMPTS = 10;

    @Produces
    @Singleton
    CodeAllocator codeAllocator(GuardedRedis redis, LinkTable table, ShortenerConfig config) {
        DurableBlockSource blocks = new DurableBlockSource(
                new RedisCodeCounter(redis, config.redis().keyPrefix(), table::counterFloor), table::claimCodeBlock,
                BLOCK_CLAIM_ATTEMPTS);
        return new CodeAllocator(blocks, config.codes().blockSize(), CodeScrambler.forCodes(codeKey(config.codes().key())));
    }

    @Produces
    @Singleton
    VisitorId visitorId(ShortenerConfig config) {
        return new VisitorId(visitorSecret(config.clicks().visitorSecret()));
    }

    /**
     * A role refuses to start without the secret it uses, rather than fail its first request: there is no
     * built-in value, because a value in the source would be known to everyone.
     */
    void requireSecrets(@Observes @Priority(1) StartupEvent started, FunctionConfig function, ShortenerConfig config) {
        if (function.function().equals(Redirect.NAME)) {
            visitorSecret(config.clicks().visitorSecret());
        }
        if (function.function().equals(LinksApi.NAME)) {
            codeKey(config.codes().key());
        }
    }

    static String visitorSecret(Optional<String> configured) {
        String secret = configured.orElse("");
        if (secret.isBlank() || secret.length() < MIN_SECRET_CHARS) {
            throw new IllegalStateException("BLOCKS_SHORTENER_CLICKS_VISITOR_SECRET (blocks.shortener.clicks.visitor-secret) is "
                    + (secret.isBlank() ? "not set" : "shorter than " + MIN_SECRET_CHARS + " characters")
                    + ": the redirect hashes client IPs with it. Set a random value of at least " + MIN_SECRET_CHARS
                    + " characters (Terraform: visitor_secret of modules/shortener).");
        }
        return secret;
    }

    static long codeKey(Optional<Long> configured) {
        if (configured.isEmpty() || configured.get() == 0) {
            throw new IllegalStateException("BLOCKS_SHORTENER_CODES_KEY (blocks.shortener.codes.key) is "
                    + (configured.isEmpty() ? "not set" : "0")
                    + ": links-api scrambles codes with it. Set a random non-zero 64-bit integer, and never change it "
                    + "once codes were issued (Terraform: code_key of modules/shortener).");
        }
        return configured.get();
    }

    @Produces
    @Singleton
    ClickPublisher clickPublisher(ShortenerConfig config, Metrics metrics, Instance<SqsClient> sqs) {
        ShortenerConfig.Kafka kafka = config.kafka();
        ClickSpool spool = config.clicks().spoolQueue().filter(q -> !q.isBlank())
                .map(queue -> new ClickSpool(sqs.get(), new QueueUrls(sqs.get()), queue)).orElse(null);
        return new ClickPublisher(kafka.bootstrapServers().orElse(""), kafka.topic(), kafka.linger(),
                kafka.deliveryDeadline(), kafka.queueCapacity(), spool, kafka.retryAfter(), metrics);
    }

    /** Lambda runs this during the init phase, before the first invocation: the first request finds Redis connected. */
    void connectEarly(@Observes StartupEvent started, GuardedRedis redis, FunctionConfig function, ClickPublisher clicks,
                      Instance<RedisLimitStore> limits) {
        redis.warmUp();
        if (function.function().equals(Redirect.NAME) || function.function().equals(ClicksReplay.NAME)) {
            clicks.warmUp();
        }
        if (function.function().equals(LinksApi.NAME) || function.function().equals(Redirect.NAME)) {
            // Loaded now, the first creation (or miss) costs one EVALSHA rather than a NOSCRIPT round trip and a
            // load, which on a cold JVM would outlast the limiter's timeout and fail open.
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
    CreateLimit createLimit(RedisLimitStore store, ShortenerConfig config, ObjectMapper json, Metrics metrics) {
        ShortenerConfig.RateLimit settings = config.rateLimit();
        if (!settings.enabled()) {
            return CreateLimit.NONE;
        }
        RuleSet rules = rules(json, settings.rules(), "BLOCKS_SHORTENER_RATE_LIMIT_RULES");
        RateLimiter limiter = new RateLimiter(store, () -> rules,
                RateLimiterSettings.defaults().withTimeout(settings.timeout()));
        metrics.includeTotals(limiter.metrics()::snapshot);
        return new RuleCreateLimit(limiter);
    }

    @Produces
    @Singleton
    MissLimit missLimit(RedisLimitStore store, ShortenerConfig config, ObjectMapper json, Metrics metrics) {
        ShortenerConfig.Misses settings = config.missLimit();
        if (!settings.enabled()) {
            return MissLimit.NONE;
        }
        RuleSet rules = rules(json, settings.rules(), "BLOCKS_SHORTENER_MISS_LIMIT_RULES");
        RateLimiter limiter = new RateLimiter(store, () -> rules,
                RateLimiterSettings.defaults().withTimeout(settings.timeout()));
        metrics.includeTotals(limiter.metrics()::snapshot);
        return new RuleMissLimit(limiter, metrics);
    }

    private static RuleSet rules(ObjectMapper json, String rulesJson, String variable) {
        try {
            return RuleSet.of(ConfiguredRules.read(json.readValue(rulesJson, Object.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(variable + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
