package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the worker waits for a Lambda target it invokes synchronously: the function's own configured timeout
 * plus {@code grace} (the invoke's round trips and a cold start's init, which Lambda does not count against the
 * timeout), so that a function still running is never given up on and then run a second time by the retry. The
 * wait must fit in {@code budget}, what an attempt may take within the worker's lease (the worker's own Lambda
 * timeout); a function allowed to run longer is refused instead of called, since the worker would be stopped
 * while waiting and the run taken again after its lease, with the first invocation perhaps still running.
 */
public record FunctionWait(Duration grace, Duration budget) {

    public FunctionWait {
        if (grace.isNegative() || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("grace must not be negative and budget must be positive");
        }
    }

    /** The wait for a function configured with {@code functionTimeout}; empty when it does not fit the budget. */
    public Optional<Duration> forTimeout(Duration functionTimeout) {
        Duration wait = functionTimeout.plus(grace);
        return wait.compareTo(budget) <= 0 ? Optional.of(wait) : Optional.empty();
    }
}
