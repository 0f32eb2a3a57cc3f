package dev.blocks.shortener.store;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of degraded paths ({@code shortener.<thing>}), published as CloudWatch Embedded Metric Format lines:
 * Lambda ships stdout to CloudWatch Logs, which turns each such line into metric data points without any API
 * call on the request path. Lines are written at most once per interval and only when something was counted,
 * so an outage does not flood the log.
 */
public final class Metrics {

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

    private final String function;
    private final long intervalNanos;
    private final PrintStream out;
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private volatile long lastFlush = System.nanoTime();

    public Metrics(String function, long intervalSeconds, PrintStream out) {
        this.function = function;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
        this.out = out;
    }

    public void increment(String name) {
        add(name, 1);
    }

    public void add(String name, long amount) {
        counters.computeIfAbsent(name, n -> new LongAdder()).add(amount);
    }

    /** Everything counted since start, for tests and the benchmark. */
    public Map<String, Long> totals() {
        Map<String, Long> totals = new TreeMap<>();
        counters.forEach((name, adder) -> totals.put(name, adder.sum()));
        return totals;
    }

    public long total(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }

    /** Writes one EMF line with what was counted since the last one, when the interval has passed. */
    public synchronized void flushIfDue() {
        long now = System.nanoTime();
        if (now - lastFlush < intervalNanos) {
            return;
        }
        lastFlush = now;
        Map<String, Long> deltas = new TreeMap<>();
        counters.forEach((name, adder) -> {
            long total = adder.sum();
            long delta = total - published.getOrDefault(name, 0L);
            if (delta > 0) {
                deltas.put(name, delta);
                published.put(name, total);
            }
        });
        if (deltas.isEmpty()) {
            return;
        }
        StringBuilder metrics = new StringBuilder();
        StringBuilder values = new StringBuilder();
        deltas.forEach((name, delta) -> {
            metrics.append(metrics.isEmpty() ? "" : ",").append("{\"Name\":\"").append(name).append("\",\"Unit\":\"Count\"}");
            values.append(",\"").append(name).append("\":").append(delta);
        });
        out.println("{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis()
                + ",\"CloudWatchMetrics\":[{\"Namespace\":\"blocks\",\"Dimensions\":[[\"function\"]],\"Metrics\":["
                + metrics + "]}]},\"function\":\"" + function + "\"" + values + "}");
    }
}
