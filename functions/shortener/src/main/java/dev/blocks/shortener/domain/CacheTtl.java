package dev.blocks.shortener.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A cache lifetime with jitter: entries filled together (a burst on a new link) would otherwise all expire in
 * the same instant and send their misses to the store at once.
 *
 * @param base   the nominal lifetime
 * @param spread fraction of {@code base} added or removed at random, 0 ≤ spread &lt; 1
 */
public record CacheTtl(Duration base, double spread) {

    public CacheTtl {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("a cache lifetime must be positive");
        }
        if (spread < 0 || spread >= 1) {
            throw new IllegalArgumentException("spread must be in [0, 1)");
        }
    }

    public Duration sample(RandomGenerator random) {
        double factor = 1 + spread * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.max(1_000_000L, (long) (base.toNanos() * factor)));
    }

    public Duration max() {
        return Duration.ofNanos((long) (base.toNanos() * (1 + spread)));
    }
}
