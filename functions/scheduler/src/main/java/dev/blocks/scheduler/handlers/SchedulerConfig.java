package dev.blocks.scheduler.handlers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the scheduler functions; each key is also an environment variable ({@code blocks.scheduler.shards} →
 * {@code BLOCKS_SCHEDULER_SHARDS}). The module README lists them all with what they trade off.
 */
@ConfigMapping(prefix = "blocks.scheduler")
public interface SchedulerConfig {

    /** DynamoDB table of jobs, their runs and the due index. */
    @WithDefault("blocks-jobs")
    String table();

    /** SQS queue the runs are delayed in; its visibility timeout must equal {@link #runLease()}. */
    @WithDefault("blocks-jobs-runs")
    String queue();

    /** Where runs go after their last failed attempt. */
    @WithDefault("blocks-jobs-runs-dlq")
    String deadLetterQueue();

    /** Width of a due-time bucket. */
    @WithDefault("60s")
    Duration bucket();

    /** Partitions per bucket; each takes about 1000 writes/s in DynamoDB. */
    @WithDefault("16")
    int shards();

    /**
     * Partitions of the byOwner index per owner: one tenant's job writes are spread over this many, and a listing
     * reads them all. Raise it only (lowering hides the jobs written to the partitions no longer read).
     */
    @WithDefault("8")
    int ownerShards();

    /** Runs that are late by more than this are recorded as MISSED instead of firing. */
    @WithDefault("1h")
    Duration catchUp();

    /**
     * How long before its time a run's message becomes visible, so that the worker has read it and waits when the
     * time comes (absorbs receive and read latency of bursts). Must stay well below {@link #runLease()}.
     */
    @WithDefault("2s")
    Duration early();

    /** How long a worker's attempt is presumed alive without a heartbeat: the run queue's visibility timeout. */
    @WithDefault("60s")
    Duration runLease();

    /** How long run records are kept once finished (DynamoDB TTL). */
    @WithDefault("7d")
    Duration runRetention();

    /** Attempts of a run when the job does not say. */
    @WithDefault("5")
    int maxAttempts();

    /** The most attempts a job may ask for; keep it below the run queue's maxReceiveCount. */
    @WithDefault("10")
    int maxAttemptsLimit();

    /** Largest payload (its JSON text in bytes); SQS and DynamoDB bound what a run can carry. */
    @WithDefault("262144")
    int maxPayloadBytes();

    /** Largest request body jobs-api reads (payload plus the rest of the request). */
    @WithDefault("393216")
    int maxBodyBytes();

    Dispatcher dispatcher();

    Retry retry();

    Targets targets();

    Secrets secrets();

    /** The cipher of HTTP targets' headers at rest (they carry bearer tokens). */
    interface Secrets {
        /** {@code kms} (AWS, LocalStack) or {@code aes-gcm} (the local cloud, which has no KMS). */
        @WithDefault("kms")
        String cipher();

        /** The customer-managed KMS key (alias, id or ARN) for {@code kms}. */
        Optional<String> kmsKeyId();

        /** For {@code aes-gcm}: 32 random bytes, base64. Never used on target aws. */
        Optional<String> localKey();
    }

    interface Dispatcher {
        /**
         * How far ahead of its due time a run is enqueued at the latest: a tick claims up to lead + cadence + margin
         * ahead, so at high rates each tick has a whole lead to send a cadence's worth of runs before the first is
         * due. lead + cadence + margin must stay within SQS's 15-minute delay.
         */
        @WithDefault("60s")
        Duration lead();

        /** How often the dispatcher runs: the period of its EventBridge schedule. */
        @WithDefault("60s")
        Duration cadence();

        /** How far past the next tick each tick looks, so that a slow tick never leaves a gap. */
        @WithDefault("10s")
        Duration margin();

        /** How far back each tick looks for runs whose claim lapsed (the send failed, a dispatcher died). */
        @WithDefault("5m")
        Duration lookback();

        /** How long after its time a claimed run is left to its worker before it is enqueued again. */
        @WithDefault("2m")
        Duration leaseGrace();

        /** Partitions read and claimed in parallel per tick. */
        @WithDefault("16")
        int threads();

        /** Buckets older than the lookback read per tick while catching up after an outage. */
        @WithDefault("120")
        int catchUpBucketsPerTick();
    }

    interface Retry {
        /** Wait after the first failed attempt; it doubles with every further one. */
        @WithDefault("1s")
        Duration base();

        /** Longest wait between attempts (at most 12 h, SQS's visibility limit). */
        @WithDefault("15m")
        Duration cap();

        /** Up to this fraction is added at random to each wait. */
        @WithDefault("0.2")
        double jitter();
    }

    interface Targets {
        /** Deadline of one delivery to a target. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Hosts that HTTP targets may reach although they are not public (e.g. 127.0.0.1 in a local test stack).
         * Empty in a deployment: private networks and the metadata service stay unreachable.
         */
        Optional<List<String>> allowedPrivateHosts();

        /**
         * Lambda functions jobs may invoke, by name (same account and region). Empty (the default): none. A name of
         * this deployment ({@code <prefix>-...}) is refused even when listed.
         */
        Optional<List<String>> allowedFunctions();

        /** SQS queues jobs may send to, by name; empty: none. Never a queue of this deployment. */
        Optional<List<String>> allowedQueues();

        /** Kafka topics jobs may produce to, by name; empty: none. Never a topic of this deployment. */
        Optional<List<String>> allowedTopics();

        /** Kafka bootstrap servers for topic targets; empty: Kafka targets fail. */
        Optional<String> kafkaBootstrapServers();

        /** Messages of one batch the worker runs at the same time. */
        @WithDefault("10")
        int concurrency();
    }
}
