package dev.blocks.ratelimit.handlers;

import dev.blocks.kit.ratelimit.RateLimitMetrics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The limiter's counters (allowed, refused, fail-open, breaker changes ...) as one log line per minute at most,
 * and only when they moved: a metric filter or Logs Insights reads them without a metrics call per request.
 */
final class LimiterMetricsLog {

    private static final Logger LOG = Logger.getLogger(LimiterMetricsLog.class);
    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RateLimitMetrics metrics;
    private long nextAt = System.nanoTime() + EVERY_NANOS;
    private Map<String, Long> last = Map.of();

    LimiterMetricsLog(RateLimitMetrics metrics) {
        this.metrics = metrics;
    }

    synchronized void maybeLog() {
        long now = System.nanoTime();
        if (now - nextAt < 0) {
            return;
        }
        nextAt = now + EVERY_NANOS;
        Map<String, Long> values = metrics.snapshot();
        if (!values.equals(last)) {
            LOG.infof("ratelimit metrics %s", values);
            last = values;
        }
    }
}
