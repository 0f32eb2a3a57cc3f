package dev.blocks.shortener.handlers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the shortener functions; each key is also an environment variable ({@code blocks.shortener.codes.key}
 * → {@code BLOCKS_SHORTENER_CODES_KEY}). Defaults suit a local run; the module README lists them all.
 */
@ConfigMapping(prefix = "blocks.shortener")
public interface ShortenerConfig {

    /** DynamoDB table of links and their counters. */
    @WithDefault("blocks-links")
    String table();

    /**
     * Base of short URLs ({@code <base-url>/<code>}). Empty: the scheme and host the request came in on. Its host
     * is refused as a link target (no redirect loops).
     */
    Optional<String> baseUrl();

    /** More host names of the shortener that links must not point at. */
    Optional<List<String>> ownHosts();

    /** Accept links to loopback and private hosts: for local experiments only, never deployed. */
    @WithDefault("false")
    boolean allowPrivateUrls();

    /** Largest accepted request body. */
    @WithDefault("16384")
    int maxBodyBytes();

    Codes codes();

    Cache cache();

    Redis redis();

    Kafka kafka();

    Clicks clicks();

    RateLimit rateLimit();

    Misses missLimit();

    interface Codes {
        /**
         * Key of the code scrambler, a non-zero long; no default, so that no deployment runs on a public key
         * (links-api refuses to start without one). Never change it once codes were issued: it is another
         * permutation.
         */
        Optional<Long> key();

        /** Counter values reserved per Redis INCRBY. */
        @WithDefault("1000")
        int blockSize();

        /** Tries with fresh codes when a generated code is taken (by an alias, or after a counter loss). */
        @WithDefault("5")
        int attempts();
    }

    interface Cache {
        /** How long an in-process entry is served without asking Redis: the bound on "delete → 404". */
        @WithDefault("2s")
        Duration localTtl();

        /** The same for an in-process "unknown code" entry. */
        @WithDefault("1s")
        Duration localNegativeTtl();

        /** How long an in-process entry is kept, stale, for when neither Redis nor DynamoDB answers. */
        @WithDefault("15m")
        Duration localStaleLimit();

        @WithDefault("10000")
        int localMaxEntries();

        /** Lifetime of a link (and of a deletion tombstone) in Redis. */
        @WithDefault("10m")
        Duration redisTtl();

        /** Lifetime of an "unknown code" entry in Redis. */
        @WithDefault("30s")
        Duration redisNegativeTtl();

        /** Random spread of every lifetime, as a fraction (0.2 = ±20 %). */
        @WithDefault("0.2")
        double jitter();
    }

    interface Redis {
        /** Prefix of every key the shortener writes. */
        @WithDefault("shortener:")
        String keyPrefix();

        /** Deadline of a Redis call on a request path. */
        @WithDefault("250ms")
        Duration timeout();

        /** Deadline of calls until one succeeded, which includes opening the connection. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** After a failure, how long Redis is left alone before it is tried again. */
        @WithDefault("2s")
        Duration retryAfter();
    }

    interface Kafka {
        /** Bootstrap servers of the click stream; empty disables publishing (clicks are counted as dropped). */
        Optional<String> bootstrapServers();

        @WithDefault("blocks-clicks")
        String topic();

        /**
         * How long the producer waits to fill a batch. 0: a Lambda environment runs one redirect at a time and
         * waits for its click's ack, so a batch would only ever hold that click.
         */
        @WithDefault("0ms")
        Duration linger();

        /**
         * How long a redirect waits for its click's ack before answering anyway. Lambda freezes the environment
         * after the response, so an unacked click is late (sent at the next thaw) or lost with the environment.
         */
        @WithDefault("200ms")
        Duration deliveryDeadline();

        /** Clicks waiting for the sender thread before new ones are dropped (or spooled). */
        @WithDefault("10000")
        int queueCapacity();

        /**
         * After a failed send, how long clicks go straight to the spool without trying Kafka: one redirect per period
         * probes the broker (and waits up to the delivery deadline), the others pay one SQS SendMessage.
         */
        @WithDefault("5s")
        Duration retryAfter();
    }

    interface Clicks {
        /**
         * SQS queue (by name) that takes clicks Kafka cannot, for clicks-replay to publish later; empty: no spool,
         * and a click Kafka does not take is lost (counted as {@code shortener.clicks_failed}).
         */
        Optional<String> spoolQueue();

        /**
         * Secret of the visitor hash (HMAC of the client IP), at least 32 characters; no default, so that no
         * deployment hashes with a public secret (the redirect refuses to start without one).
         */
        Optional<String> visitorSecret();

        /** Referrer sites kept by name per code per batch; the rest are counted as "(other)". */
        @WithDefault("20")
        int maxReferrersPerBatch();

        /**
         * Referrer sites a code's stats item keeps by name: once it names half as many again, all but this many
         * of the busiest are folded into "(other)" (see {@code ReferrerBound}).
         */
        @WithDefault("100")
        int storedReferrers();

        /** Referrers listed by the stats endpoint. */
        @WithDefault("10")
        int topReferrers();
    }

    interface RateLimit {
        /** Whether link creation is rate limited at all (off: for deployments that limit in front of the API). */
        @WithDefault("true")
        boolean enabled();

        /**
         * The kit's rate-limit rules, as a JSON array (the rule format of functions/ratelimit), checked together
         * in one Redis round trip on every {@code POST /v1/links}. By default 600 links a minute per API key with
         * a burst of 60, and 1200 a minute per client IP; a caller known by authorizer claims is keyed by user
         * instead of API key.
         */
        @WithDefault("[{\"id\":\"links-create-per-key\",\"algorithm\":\"token_bucket\",\"limit\":600,"
                + "\"windowSeconds\":60,\"burst\":60,\"keyBy\":[\"apiKey\"],\"route\":\"POST /v1/links\"},"
                + "{\"id\":\"links-create-per-user\",\"algorithm\":\"token_bucket\",\"limit\":600,"
                + "\"windowSeconds\":60,\"burst\":60,\"keyBy\":[\"user\"],\"route\":\"POST /v1/links\"},"
                + "{\"id\":\"links-create-per-ip\",\"algorithm\":\"sliding_window\",\"limit\":1200,"
                + "\"windowSeconds\":60,\"keyBy\":[\"ip\"],\"route\":\"POST /v1/links\"}]")
        String rules();

        /** Longest wait for Redis before each rule's fail mode (open unless a rule says closed) decides. */
        @WithDefault("50ms")
        Duration timeout();
    }

    interface Misses {
        /** Whether unknown codes are limited per client at all (off: for deployments that limit in front of the API). */
        @WithDefault("true")
        boolean enabled();

        /**
         * The kit's rate-limit rules charged with each redirect of a code that DynamoDB does not know, as a JSON array
         * (the rule format of functions/ratelimit). By default 60 unknown codes a minute per client IP (an IPv6
         * client by its /64) with a burst of 60; a client past it is refused for its next lookups that would read
         * DynamoDB, without the read.
         */
        @WithDefault("[{\"id\":\"redirect-misses-per-ip\",\"algorithm\":\"token_bucket\",\"limit\":60,"
                + "\"windowSeconds\":60,\"burst\":60,\"keyBy\":[\"ip\"],\"route\":\"GET /{code}\"}]")
        String rules();

        /** Longest wait for Redis before each rule's fail mode (open unless a rule says closed) decides. */
        @WithDefault("50ms")
        Duration timeout();
    }
}
