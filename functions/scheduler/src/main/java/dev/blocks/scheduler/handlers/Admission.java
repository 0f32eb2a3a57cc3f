package dev.blocks.scheduler.handlers;

import dev.blocks.scheduler.domain.DueBuckets;
import dev.blocks.scheduler.domain.QueueDelay;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a job's next run goes when jobs-api sets it (create, resume): into the due index for the dispatcher, or,
 * when it falls due before the dispatcher's next tick could see it (within a cadence plus margin from now), straight
 * onto the run queue by jobs-api itself, claimed in the same write so that the dispatcher leaves it alone.
 */
record Admission(DueBuckets buckets, Duration directHorizon, Duration leaseGrace, Duration early) {

    /** The next run's index key, and its claim and delay when jobs-api enqueues it itself. */
    record Plan(Instant nextRunAt, String dueKey, Instant lease, int delaySeconds) {

        boolean direct() {
            return lease != null;
        }
    }

    Plan plan(String jobId, Instant nextRunAt, Instant now) {
        String key = buckets.keyOf(jobId, nextRunAt);
        if (nextRunAt.isBefore(now.plus(directHorizon))) {
            Instant lease = (nextRunAt.isAfter(now) ? nextRunAt : now).plus(leaseGrace);
            return new Plan(nextRunAt, key, lease, QueueDelay.seconds(nextRunAt, now, early));
        }
        return new Plan(nextRunAt, key, null, 0);
    }
}
