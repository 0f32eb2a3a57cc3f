package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The SQS DelaySeconds of a run: the whole seconds left until its time, less {@code early}, at most 15 minutes.
 * The message becomes visible early on purpose (rounding down adds up to a second): the worker receives it, reads
 * the job and its run ahead of time and waits out the rest, so that a burst of runs due in the same second is
 * already in the workers' hands when that second comes, instead of queueing behind each other's round trips.
 */
public final class QueueDelay {

    public static final int MAX_SECONDS = 900;

    private QueueDelay() {}

    public static int seconds(Instant scheduledAt, Instant now, Duration early) {
        long millis = Duration.between(now, scheduledAt).toMillis() - early.toMillis();
        if (millis <= 0) {
            return 0;
        }
        return (int) Math.min(MAX_SECONDS, millis / 1000);
    }
}
