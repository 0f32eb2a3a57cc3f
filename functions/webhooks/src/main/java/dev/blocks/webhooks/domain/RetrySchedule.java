package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When each delivery attempt happens: {@code delays.get(i)} is the wait before attempt {@code i + 1} (the first is
 * usually zero). Each wait is spread by ±{@code jitter} (a fraction) so that the retries of many messages that
 * failed together do not arrive together.
 */
public record RetrySchedule(List<Duration> delays, double jitter) {

    /** Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 28 hours. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
            Duration.ofHours(10), Duration.ofHours(10)), 0.1);

    public RetrySchedule {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a schedule has at least one attempt");
        }
        if (delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("delays cannot be negative");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter is a fraction in [0, 1)");
        }
        delays = List.copyOf(delays);
    }

    public int attempts() {
        return delays.size();
    }

    /** The jittered wait before {@code attempt} (1-based); empty when the schedule has no such attempt. */
    public Optional<Duration> delayBefore(int attempt, DoubleSupplier random) {
        if (attempt < 1 || attempt > delays.size()) {
            return Optional.empty();
        }
        Duration base = delays.get(attempt - 1);
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
    }
}
