package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What each algorithm's parameters mean, on the plain Java maths (the scripts are held to the same numbers). */
class MeterTest {

    private static final long T0 = 1_800_000_000_000L;

    @Test
    void aTokenBucketHoldsLimitPlusBurstAndRefillsLimitPerWindow() {
        Meter bucket = Meter.of(Rule.of("tb", Algorithm.TOKEN_BUCKET, 100, 60).withBurst(20));
        assertThat(bucket.remaining(T0)).isEqualTo(120);
        bucket.record(T0, 120);
        assertThat(bucket.allows(T0, 1)).isFalse();
        assertThat(bucket.retryAfter(T0, 1)).as("one token every 600 ms").isEqualTo(600);
        assertThat(bucket.remaining(T0 + 30_000)).isEqualTo(50);
        assertThat(bucket.resetAt(T0)).as("full after 1.2 windows").isEqualTo(T0 + 72_000);
        assertThat(bucket.retryAfter(T0, 121)).as("more than the bucket holds").isEqualTo(-1);
    }

    @Test
    void gcraDecidesExactlyAsTheTokenBucket() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trace = 0; trace < 200; trace++) {
            Rule rule = Rule.of("r", Algorithm.TOKEN_BUCKET, random.nextLong(1, 50), random.nextLong(1, 10))
                    .withBurst(random.nextLong(0, 10));
            Meter bucket = Meter.of(rule);
            Meter gcra = Meter.of(new Rule("r", null, Algorithm.GCRA, rule.limit(), rule.windowSeconds(), rule.burst(),
                    rule.keyBy(), null, FailMode.OPEN, false));
            long now = T0;
            for (int step = 0; step < 100; step++) {
                now += random.nextLong(0, rule.windowMillis() / rule.limit() * 2 + 1);
                long cost = random.nextLong(1, rule.capacity() + 2);
                assertThat(gcra.remaining(now)).isEqualTo(bucket.remaining(now));
                assertThat(gcra.retryAfter(now, cost)).isEqualTo(bucket.retryAfter(now, cost));
                assertThat(gcra.resetAt(now)).isEqualTo(bucket.resetAt(now));
                if (bucket.allows(now, cost)) {
                    bucket.record(now, cost);
                    gcra.record(now, cost);
                }
            }
        }
    }

    @Test
    void aSlidingWindowWeighsThePreviousWindowByItsOverlap() {
        Meter window = Meter.of(Rule.of("sw", Algorithm.SLIDING_WINDOW, 10, 10));
        long boundary = T0;
        window.record(boundary - 1, 10);
        assertThat(window.remaining(boundary)).as("all of the previous window still counts").isZero();
        assertThat(window.remaining(boundary + 2_500)).isEqualTo(2);
        assertThat(window.remaining(boundary + 5_000)).isEqualTo(5);
        assertThat(window.retryAfter(boundary, 4)).as("until 4 units of weight have gone").isEqualTo(4_000);
        assertThat(window.resetAt(boundary)).isEqualTo(boundary + 10_000);
    }

    @Test
    void aSlidingLogForgetsEachAdmissionExactlyOneWindowLater() {
        Meter log = Meter.of(Rule.of("sl", Algorithm.SLIDING_LOG, 3, 1));
        log.record(T0, 2);
        log.record(T0 + 400, 1);
        assertThat(log.retryAfter(T0 + 500, 2)).isEqualTo(500);
        assertThat(log.remaining(T0 + 1_000)).isEqualTo(2);
        assertThat(log.resetAt(T0 + 500)).isEqualTo(T0 + 1_400);
    }

    @Test
    void aFixedWindowEmptiesAtItsEpochAlignedEnd() {
        Meter fixed = Meter.of(Rule.of("fw", Algorithm.FIXED_WINDOW, 5, 60));
        long windowStart = Math.floorDiv(T0, 60_000) * 60_000;
        fixed.record(windowStart + 59_999, 5);
        assertThat(fixed.retryAfter(windowStart + 59_999, 1)).isEqualTo(1);
        assertThat(fixed.remaining(windowStart + 60_000)).isEqualTo(5);
    }
}
