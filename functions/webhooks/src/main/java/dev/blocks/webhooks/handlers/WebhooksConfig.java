package dev.blocks.webhooks.handlers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the webhooks functions; each key is also an environment variable ({@code blocks.webhooks.delivery.timeout}
 * → {@code BLOCKS_WEBHOOKS_DELIVERY_TIMEOUT}). Defaults are the production values; the module README lists them all.
 */
@ConfigMapping(prefix = "blocks.webhooks")
public interface WebhooksConfig {

    /** Inbound sources (partition key {@code owner}, sort key {@code name}, index {@code receive-id} on {@code id}). */
    @WithDefault("blocks-webhooks-sources")
    String sourcesTable();

    /** Outbound endpoints (partition key {@code owner}, sort key {@code id}). */
    @WithDefault("blocks-webhooks-endpoints")
    String endpointsTable();

    /** Events and messages (partition key {@code id}, sparse index {@code failed}). */
    @WithDefault("blocks-webhooks-messages")
    String messagesTable();

    /** How long events, messages and their attempt logs are kept. */
    @WithDefault("720h")
    Duration retention();

    Secrets secrets();

    Inbound inbound();

    Kafka kafka();

    Endpoints endpoints();

    Events events();

    Delivery delivery();

    interface Secrets {
        /** {@code kms} (AWS, LocalStack) or {@code aes-gcm} (the local cloud, which has no KMS). */
        @WithDefault("kms")
        String cipher();

        /** The customer-managed KMS key (alias, id or ARN) for {@code kms}. */
        Optional<String> kmsKeyId();

        /** 32 random bytes, base64, for {@code aes-gcm}; local use only. */
        Optional<String> localKey();
    }

    interface Inbound {
        /** Largest accepted webhook body; larger ones get 413 before anything else happens. */
        @WithDefault("1048576")
        int maxBodyBytes();

        @WithDefault("300s")
        Duration defaultTolerance();

        /** Largest tolerance a source may ask for. */
        @WithDefault("3600s")
        Duration maxTolerance();

        /** How long a source's configuration (and its decrypted secrets) is used in process before it is read again. */
        @WithDefault("60s")
        Duration sourceCacheTtl();

        /** Sources one owner may have. */
        @WithDefault("100")
        int maxSourcesPerOwner();

        /** How long an event id is remembered: a duplicate within it is answered 200 and not published again. */
        @WithDefault("72h")
        Duration dedupeTtl();

        /**
         * How long a received event's dedupe claim stays IN_FLIGHT before it is published and confirmed: a retry
         * within it is answered 503 with Retry-After; after it (the receiver died before publishing), a retry is
         * processed again.
         */
        @WithDefault("60s")
        Duration claimLease();

        /** SQS queues sources may publish to (names). */
        Optional<List<String>> queues();

        /** Kafka topics sources may publish to. */
        Optional<List<String>> topics();

        /** Deadline for the destination to take an event. */
        @WithDefault("5s")
        Duration publishTimeout();
    }

    interface Kafka {
        /** Bootstrap servers for Kafka destinations; absent disables them. */
        Optional<String> bootstrapServers();
    }

    interface Endpoints {
        @WithDefault("100")
        int maxPerOwner();

        /** How long the previous secret keeps signing deliveries after a rotation. */
        @WithDefault("24h")
        Duration rotationOverlap();
    }

    interface Events {
        /** Largest {@code POST /v1/events} body. */
        @WithDefault("262144")
        int maxBodyBytes();

        /** How long an idempotency key of {@code POST /v1/events} is remembered. */
        @WithDefault("24h")
        Duration idempotencyTtl();

        /**
         * How long a publication holds its idempotency key IN_FLIGHT: a retry within it gets 409; after it (the
         * publisher died), the retry takes over the same event. Longer than webhooks-out's 29 s function timeout.
         */
        @WithDefault("30s")
        Duration inFlightLease();

        /** Messages whose first attempt is still not on the delivery queue this long after their event was written are sent by the sweeper. */
        @WithDefault("60s")
        Duration sweepAfter();

        /** Events the sweeper takes on per run. */
        @WithDefault("1000")
        int sweepLimit();
    }

    interface Delivery {
        /** The delivery queue (name; the URL is looked up at run time). */
        @WithDefault("blocks-webhooks-delivery")
        String queue();

        /** Where messages go after the last attempt failed. */
        @WithDefault("blocks-webhooks-delivery-dlq")
        String deadLetterQueue();

        /** The wait before each attempt; the first is usually 0. */
        @WithDefault("0s,5s,5m,30m,2h,5h,10h,10h")
        List<Duration> schedule();

        /** Random spread of every wait, as a fraction (0.1 = ±10 %). */
        @WithDefault("0.1")
        double jitter();

        /** Deadline of one attempt, connection to last byte. */
        @WithDefault("15s")
        Duration timeout();

        /** Longest Retry-After honoured. */
        @WithDefault("24h")
        Duration maxRetryAfter();

        /** Failures in a row that open an endpoint's circuit breaker. */
        @WithDefault("5")
        int breakerThreshold();

        /** How long an open breaker defers an endpoint's messages before one probe goes out. */
        @WithDefault("60s")
        Duration breakerOpen();

        /** An endpoint failing every delivery for this long is disabled. */
        @WithDefault("120h")
        Duration disableAfter();

        /** How long an endpoint (URL, secrets, state) is used in process before it is read again. */
        @WithDefault("5s")
        Duration endpointCacheTtl();

        /**
         * How long an endpoint's decrypted secrets are kept in process (one KMS Decrypt per endpoint per this). A
         * rotation changes the stored ciphertext and is used from the next endpoint read ({@code endpoint-cache-ttl}).
         */
        @WithDefault("5m")
        Duration secretCacheTtl();

        /** Messages of one batch delivered at the same time. */
        @WithDefault("10")
        int concurrency();

        /** A queued attempt arriving this much early is made anyway (SQS delays are whole seconds). */
        @WithDefault("1s")
        Duration earlyTolerance();

        /**
         * Hosts that may resolve to loopback or private addresses anyway: a local test receiver only. Empty in
         * every deployment; {@code *} would switch the SSRF guard off.
         */
        Optional<List<String>> allowedPrivateHosts();
    }
}
