package dev.blocks.kit.ratelimit;

/**
 * The decision maths of one algorithm for one counter, in plain Java and in the most literal form: each
 * implementation defines only how many units are available at a moment and what recording does. Everything
 * else follows from those definitions, here once for all algorithms:
 * <ul>
 * <li>a request of {@code cost} passes when {@code cost <= remaining(now)};</li>
 * <li>the counter is fresh again ({@code resetAt}) at the first moment it has its full capacity back;</li>
 * <li>a refused request could pass ({@code retryAfter}) at the first moment it would pass, if nothing else
 *     happened; never when its cost exceeds the capacity.</li>
 * </ul>
 * The Lua scripts compute the same numbers in closed form; the property tests hold them to these to the unit
 * and the millisecond. Times are milliseconds; availability never decreases while nothing is recorded, which
 * is what lets the two moments be found by bisection.
 */
interface Meter {

    static Meter of(Rule rule) {
        return switch (rule.algorithm()) {
            case TOKEN_BUCKET -> new TokenBucketMeter(rule);
            case GCRA -> new GcraMeter(rule);
            case FIXED_WINDOW -> new FixedWindowMeter(rule);
            case SLIDING_WINDOW -> new SlidingWindowMeter(rule);
            case SLIDING_LOG -> new SlidingLogMeter(rule);
        };
    }

    /** Units available when fresh. */
    long capacity();

    /** Whole units available at {@code now}. */
    long remaining(long now);

    /** Records {@code cost} admitted units at {@code now}; returns a receipt that {@link #refund} accepts. */
    long record(long now, long cost);

    /** Gives back {@code cost} units recorded at {@code recordedAt} under {@code receipt}. */
    void refund(long now, long cost, long recordedAt, long receipt);

    /** Longest time any state of this counter takes to become fresh. */
    long horizon();

    default boolean allows(long now, long cost) {
        return cost <= remaining(now);
    }

    default long resetAt(long now) {
        return firstMoment(now, now + horizon(), capacity());
    }

    /** 0 when the request passes now, -1 when it never can, else the wait in ms until it would. */
    default long retryAfter(long now, long cost) {
        if (cost > capacity()) {
            return -1;
        }
        if (allows(now, cost)) {
            return 0;
        }
        return firstMoment(now, resetAt(now), cost) - now;
    }

    /** The first moment in [from, to] with at least {@code units} available; {@code to} must have them. */
    private long firstMoment(long from, long to, long units) {
        long low = from;
        long high = to;
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (remaining(mid) >= units) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }
}
