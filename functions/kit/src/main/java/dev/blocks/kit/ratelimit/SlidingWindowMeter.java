package dev.blocks.kit.ratelimit;

import java.util.HashMap;
import java.util.Map;

/**
 * Sliding-window counter: at elapsed time e into window k, the units in use are those of window k plus those of
 * window k - 1 weighted by the share of it still inside the last window: prev × (window − e) / window.
 */
final class SlidingWindowMeter implements Meter {

    private final long limit;
    private final long window;
    private final Map<Long, Long> admitted = new HashMap<>();

    SlidingWindowMeter(Rule rule) {
        this.limit = rule.limit();
        this.window = rule.windowMillis();
    }

    @Override
    public long capacity() {
        return limit;
    }

    @Override
    public long remaining(long now) {
        long k = Math.floorDiv(now, window);
        long elapsed = now - k * window;
        long previous = admitted.getOrDefault(k - 1, 0L);
        long current = admitted.getOrDefault(k, 0L);
        // floor(limit − previous × (window − elapsed) / window − current), in whole numbers
        return Math.floorDiv(limit * window - previous * (window - elapsed) - current * window, window);
    }

    @Override
    public long record(long now, long cost) {
        admitted.merge(Math.floorDiv(now, window), cost, Long::sum);
        return 0;
    }

    @Override
    public void refund(long now, long cost, long recordedAt, long receipt) {
        long k = Math.floorDiv(recordedAt, window);
        long current = Math.floorDiv(now, window);
        if (k == current || k == current - 1) {
            admitted.computeIfPresent(k, (w, n) -> Math.max(0, n - cost));
        }
    }

    @Override
    public long horizon() {
        return 2 * window;
    }
}
