package dev.blocks.scheduler.domain;

import java.time.Instant;
import java.util.List;

/**
 * One scheduled time of a job and what became of it. {@code attempt} counts the tries started so far (a try whose
 * worker died counts too); {@code leaseUntil} is how long the current try is presumed alive.
 */
public record Run(String jobId, Instant scheduledAt, boolean triggered, RunOutcome outcome, int attempt,
                  Instant startedAt, Instant finishedAt, String error, Instant leaseUntil, List<Attempt> attempts) {

    /** Whether the try under way may be taken over: it ended (failed), or its worker stopped renewing its lease. */
    public boolean takeable(Instant now) {
        return outcome == RunOutcome.RETRYING || (outcome == RunOutcome.RUNNING && (leaseUntil == null || !leaseUntil.isAfter(now)));
    }
}
