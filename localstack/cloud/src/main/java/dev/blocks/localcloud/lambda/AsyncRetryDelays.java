package dev.blocks.localcloud.lambda;

import java.time.Duration;
import java.util.List;

/**
 * How long Lambda's queue for asynchronous invocations waits before it tries an event again. The defaults are
 * AWS's documented ones ("How Lambda handles errors and retries with asynchronous invocation"): one minute after
 * the first function error, two minutes after the second; after a throttle, one second, doubling up to five
 * minutes. Tests shorten them; the behaviour stays the same.
 *
 * @param afterFunctionError the wait after the n-th failed attempt (the last one repeats if there are more)
 * @param firstAfterThrottle the wait after the first throttle
 * @param maxAfterThrottle   the longest wait after a throttle
 */
public record AsyncRetryDelays(List<Duration> afterFunctionError, Duration firstAfterThrottle,
                               Duration maxAfterThrottle) {

    public static final AsyncRetryDelays AWS = new AsyncRetryDelays(
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)), Duration.ofSeconds(1), Duration.ofMinutes(5));

    public AsyncRetryDelays {
        afterFunctionError = List.copyOf(afterFunctionError);
        if (afterFunctionError.isEmpty() || afterFunctionError.stream().anyMatch(Duration::isNegative)
                || firstAfterThrottle.isNegative() || maxAfterThrottle.compareTo(firstAfterThrottle) < 0) {
            throw new IllegalArgumentException("retry delays must be non-negative, at least one after a function"
                    + " error, and the throttle maximum no less than the first: " + afterFunctionError + ", "
                    + firstAfterThrottle + ", " + maxAfterThrottle);
        }
    }

    /** The wait after the {@code failedAttempts}-th failed attempt (1 after the first). */
    Duration afterFunctionError(int failedAttempts) {
        return afterFunctionError.get(Math.min(Math.max(failedAttempts, 1), afterFunctionError.size()) - 1);
    }

    /** The wait after the {@code throttles}-th throttle of one event: exponential, capped. */
    Duration afterThrottle(int throttles) {
        Duration delay = firstAfterThrottle;
        for (int i = 1; i < throttles && delay.compareTo(maxAfterThrottle) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxAfterThrottle) > 0 ? maxAfterThrottle : delay;
    }
}
