package dev.blocks.kit.ratelimit;

import java.util.HashMap;
import java.util.Map;

/** Fixed window: at most limit units in each epoch-aligned window [k × window, (k + 1) × window). */
final class FixedWindowMeter implements Meter {

    private final long limit;
    private final long window;
    private final Map<Long, Long> admitted = new HashMap<>();

    FixedWindowMeter(Rule rule) {
        this.limit = rule.limit();
        this.window = rule.windowMillis();
    }

    @Override
    public long capacity() {
        return limit;
    }

    @Override
    public long remaining(long now) {
        return limit - admitted.getOrDefault(Math.floorDiv(now, window), 0L);
    }

    @Override
    public long record(long now, long cost) {
        admitted.merge(Math.floorDiv(now, window), cost, Long::sum);
        return 0;
    }

    @Override
    public void refund(long now, long cost, long recordedAt, long receipt) {
        long k = Math.floorDiv(recordedAt, window);
        if (k == Math.floorDiv(now, window)) {
            admitted.computeIfPresent(k, (w, n) -> Math.max(0, n - cost));
        }
    }

    @Override
    public long horizon() {
        return window;
    }
}
