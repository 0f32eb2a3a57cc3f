package dev.blocks.shortener.store;

/**
 * Names of the shortener's metrics ({@code shortener.<thing>}), counted through the kit's
 * {@link dev.blocks.kit.metrics.Metrics}. CloudWatch alarms and the dashboard refer to exactly these names.
 */
public final class MetricNames {

    public static final String REDIS_UNAVAILABLE = "shortener.redis_unavailable";
    public static final String REDIS_INVALIDATION_FAILED = "shortener.redis_invalidation_failed";
    public static final String DYNAMODB_UNAVAILABLE = "shortener.dynamodb_unavailable";
    public static final String STALE_SERVED = "shortener.stale_served";
    public static final String CLICKS_DROPPED = "shortener.clicks_dropped";
    /** Clicks a redirect answered before Kafka acked them: sent or spooled later, unless the environment dies first. */
    public static final String CLICKS_DEFERRED = "shortener.clicks_deferred";
    /** Clicks lost: Kafka did not take them and the spool did not either (or none is configured). */
    public static final String CLICKS_FAILED = "shortener.clicks_failed";
    /** Clicks sent to the spool queue because Kafka could not take them; clicks-replay publishes them later. */
    public static final String CLICKS_SPOOLED = "shortener.clicks_spooled";
    /** Spooled clicks clicks-replay published into the stream. */
    public static final String CLICKS_REPLAYED = "shortener.clicks_replayed";
    /** Spooled clicks the stream carried more than once, counted only the first time. */
    public static final String SPOOLED_DUPLICATES = "shortener.spooled_duplicates";
    public static final String CLICKS_SENT = "shortener.clicks_sent";
    public static final String CODE_COLLISIONS = "shortener.code_collisions";
    public static final String BATCHES_REPLAYED = "shortener.click_batches_replayed";
    /** Click records on the stream that are not a click (not JSON, no code or time): skipped, never retried. */
    public static final String CLICKS_MALFORMED = "shortener.clicks_malformed";
    public static final String REFERRERS_FOLDED = "shortener.referrers_folded";
    public static final String MISSES_REFUSED = "shortener.misses_refused";
    /** Redirects answered from this instance's memory. */
    public static final String REDIRECT_HITS_MEMORY = "shortener.redirect_hits_memory";
    /** Redirects answered from Redis (the in-process copy was missing or expired). */
    public static final String REDIRECT_HITS_REDIS = "shortener.redirect_hits_redis";
    /** Redirects answered from DynamoDB (no cache knew the code). */
    public static final String REDIRECT_HITS_DYNAMODB = "shortener.redirect_hits_dynamodb";
    /** Redirects answered with 404: the code is not a link (malformed, unknown, or deleted). */
    public static final String REDIRECT_NOT_FOUND = "shortener.redirect_not_found";

    private MetricNames() {}
}
