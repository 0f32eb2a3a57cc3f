package dev.blocks.localcloud.junit;

import java.time.Duration;

/**
 * The one sleep fault tests are allowed: spacing requests out (load at a steady rate) or holding a fault for its
 * length. Never a wait for an outcome: those poll with a deadline.
 */
public final class Pace {

    private Pace() {}

    /**
     * Sleeps for {@code duration}; not at all when it is zero or negative (a point in time already passed). An
     * interrupt ends the sleep early and is kept set on the thread for the caller to see, rather than thrown.
     */
    public static void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
