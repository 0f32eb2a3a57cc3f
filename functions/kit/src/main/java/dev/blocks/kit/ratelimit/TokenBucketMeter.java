package dev.blocks.kit.ratelimit;

/**
 * Token bucket: capacity limit + burst tokens, refilled continuously at limit tokens per window. Tokens are
 * counted in 1/window units, so a refill of limit per window is exactly limit units per ms.
 */
final class TokenBucketMeter implements Meter {

    private final long limit;
    private final long window;
    private final long full;
    private long units;
    private long last = Long.MIN_VALUE;

    TokenBucketMeter(Rule rule) {
        this.limit = rule.limit();
        this.window = rule.windowMillis();
        this.full = rule.capacity() * window;
        this.units = full;
    }

    private long units(long now) {
        if (last == Long.MIN_VALUE || now <= last) {
            return units;
        }
        long elapsed = now - last;
        return elapsed >= (full - units) / limit + 1 ? full : Math.min(full, units + elapsed * limit);
    }

    @Override
    public long capacity() {
        return full / window;
    }

    @Override
    public long remaining(long now) {
        return units(now) / window;
    }

    @Override
    public long record(long now, long cost) {
        units = units(now) - cost * window;
        last = Math.max(last, now);
        return 0;
    }

    @Override
    public void refund(long now, long cost, long recordedAt, long receipt) {
        units = Math.min(full, units(now) + cost * window);
        last = Math.max(last, now);
    }

    @Override
    public long horizon() {
        return full / limit + 1;
    }
}
