package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after failed attempt n the next waits {@code base * 2^(n-1)} (1, 2, 4, 8 s …)
 * plus up to {@code jitter} of that, capped. Whole seconds, because the wait is an SQS visibility timeout. The
 * jitter spreads retries of jobs that failed together (a target that was down) without ever shrinking a gap, so
 * gaps keep growing while the cap is not reached.
 */
public record Backoff(Duration base, Duration cap, double jitter, DoubleSupplier random) {

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter is a fraction in [0, 1)");
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based), at least one second. */
    public Duration after(int attempt) {
        double exponential = base.toMillis() * Math.pow(2, Math.min(attempt - 1, 30));
        double jittered = exponential * (1 + jitter * random.getAsDouble());
        long seconds = Math.round(Math.min(jittered, cap.toMillis()) / 1000.0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
