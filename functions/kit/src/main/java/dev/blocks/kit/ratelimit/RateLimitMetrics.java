package dev.blocks.kit.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one limiter, named {@code ratelimit.<thing>}, as running totals. A function publishes them through
 * its one metrics writer: {@code metrics.includeTotals(limiter.metrics()::snapshot)} (see
 * {@link dev.blocks.kit.metrics.Metrics#includeTotals}), which writes how much each moved per line.
 */
public final class RateLimitMetrics {

    public static final String ALLOWED = "ratelimit.allowed";
    public static final String REFUSED = "ratelimit.refused";
    public static final String REMEMBERED = "ratelimit.refused_in_process";
    public static final String FAIL_OPEN = "ratelimit.fail_open";
    public static final String FAIL_CLOSED = "ratelimit.fail_closed";
    public static final String SHADOW_REFUSED = "ratelimit.shadow_refused";
    public static final String REDIS_ERRORS = "ratelimit.redis_errors";
    public static final String REDIS_TIMEOUTS = "ratelimit.redis_timeouts";
    public static final String REFUNDS = "ratelimit.refunds";
    public static final String BREAKER_OPENED = "ratelimit.breaker_opened";
    public static final String BREAKER_HALF_OPENED = "ratelimit.breaker_half_opened";
    public static final String BREAKER_CLOSED = "ratelimit.breaker_closed";

    private final Map<String, LongAdder> counters = new LinkedHashMap<>();

    RateLimitMetrics() {
        for (String name : new String[] {ALLOWED, REFUSED, REMEMBERED, FAIL_OPEN, FAIL_CLOSED, SHADOW_REFUSED,
                REDIS_ERRORS, REDIS_TIMEOUTS, REFUNDS, BREAKER_OPENED, BREAKER_HALF_OPENED, BREAKER_CLOSED}) {
            counters.put(name, new LongAdder());
        }
    }

    void increment(String name) {
        counters.get(name).increment();
    }

    void add(String name, long amount) {
        counters.get(name).add(amount);
    }

    public long get(String name) {
        LongAdder counter = counters.get(name);
        if (counter == null) {
            throw new IllegalArgumentException("no counter " + name);
        }
        return counter.sum();
    }

    /** Every counter's current value, in a fixed order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((name, counter) -> values.put(name, counter.sum()));
        return values;
    }
}
