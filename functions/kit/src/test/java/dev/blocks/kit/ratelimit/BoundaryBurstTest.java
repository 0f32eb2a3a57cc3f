package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.ratelimit.redis.RedisLimitStore;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The 2× problem of fixed windows, pinned to the millisecond on the real scripts: a client that sends a burst
 * 1 ms before a window boundary and another one at the boundary gets twice the limit through a fixed window,
 * and only the limit through every other algorithm.
 */
class BoundaryBurstTest {

    @RegisterExtension
    static LocalCloudExtension cloud = LocalCloudExtension.services("redis");

    private static final long LIMIT = 10;
    private static final long WINDOW_MS = 10_000;

    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = TestRedis.connect(cloud.endpoints().redis());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aBurstOnEachSideOfABoundary(Algorithm algorithm) {
        long boundary = Math.floorDiv(redis.serverTimeMillis() + 86_400_000L, WINDOW_MS) * WINDOW_MS;
        AtomicLong clock = new AtomicLong(boundary - 1);
        RedisLimitStore store = redis.store().withPinnedClock(clock::get);
        Rule rule = Rule.of("boundary-" + algorithm.jsonName() + "-" + System.nanoTime(), algorithm, LIMIT, WINDOW_MS / 1000);
        List<RuleCheck> checks = List.of(new KeyLayout(HashTagPolicy.ONE_SLOT).check(rule, LimitRequest.forRoute("GET /")));

        long before = admitted(store, checks, 15);
        clock.set(boundary);
        long after = admitted(store, checks, 15);

        assertThat(before).isEqualTo(LIMIT);
        assertThat(before + after).as("admitted within 2 ms across the boundary")
                .isEqualTo(algorithm == Algorithm.FIXED_WINDOW ? 2 * LIMIT : LIMIT);
        if (algorithm == Algorithm.SLIDING_WINDOW) {
            // Half a window later, half of the previous window's weight has gone.
            clock.set(boundary + WINDOW_MS / 2);
            assertThat(admitted(store, checks, 15)).isEqualTo(LIMIT / 2);
        }
    }

    private static long admitted(RedisLimitStore store, List<RuleCheck> checks, int requests) {
        long admitted = 0;
        for (int i = 0; i < requests; i++) {
            if (store.decide(checks, 1).toCompletableFuture().join().admitted()) {
                admitted++;
            }
        }
        return admitted;
    }
}
