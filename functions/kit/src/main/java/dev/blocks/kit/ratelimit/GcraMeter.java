package dev.blocks.kit.ratelimit;

import java.math.BigInteger;

/**
 * GCRA: each admitted unit moves the theoretical arrival time (TAT) on by the emission interval window / limit;
 * a request passes when the TAT it would leave is at most (limit + burst) intervals after now. The TAT is kept
 * exactly as TAT × limit, so the interval is exactly window.
 */
final class GcraMeter implements Meter {

    private final BigInteger limit;
    private final long window;
    private final long capacity;
    private BigInteger tatTimesLimit;

    GcraMeter(Rule rule) {
        this.limit = BigInteger.valueOf(rule.limit());
        this.window = rule.windowMillis();
        this.capacity = rule.capacity();
    }

    /** How far the TAT is ahead of now, times limit. */
    private BigInteger ahead(long now) {
        if (tatTimesLimit == null) {
            return BigInteger.ZERO;
        }
        return tatTimesLimit.subtract(BigInteger.valueOf(now).multiply(limit)).max(BigInteger.ZERO);
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long remaining(long now) {
        // Units n pass while ahead + n × window <= capacity × window.
        return BigInteger.valueOf(capacity * window).subtract(ahead(now)).divide(BigInteger.valueOf(window)).longValueExact();
    }

    @Override
    public long record(long now, long cost) {
        BigInteger start = BigInteger.valueOf(now).multiply(limit);
        tatTimesLimit = (tatTimesLimit == null ? start : tatTimesLimit.max(start)).add(BigInteger.valueOf(cost * window));
        return 0;
    }

    @Override
    public void refund(long now, long cost, long recordedAt, long receipt) {
        if (tatTimesLimit != null) {
            tatTimesLimit = tatTimesLimit.subtract(BigInteger.valueOf(cost * window))
                    .max(BigInteger.valueOf(now).multiply(limit));
        }
    }

    @Override
    public long horizon() {
        return capacity * window / limit.longValueExact() + 1;
    }
}
