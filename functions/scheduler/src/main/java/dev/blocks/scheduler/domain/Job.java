package dev.blocks.scheduler.domain;

import java.time.Instant;

/**
 * A job as stored: its template (schedule, target, payload, policies) and its state. {@code nextRunAt} is the
 * run waiting for dispatch (null when none); {@code activeRun}/{@code activeUntil} name a recurring job's run under
 * way and how long it is presumed alive (for the overlap policy); {@code bufferedRun} is a run held back by it.
 */
public record Job(
        String jobId,
        String owner,
        String name,
        Schedule schedule,
        Target target,
        String payload,
        int maxAttempts,
        Overlap overlap,
        JobStatus status,
        Instant createdAt,
        Instant nextRunAt,
        Instant activeRun,
        Instant activeUntil,
        Instant bufferedRun,
        Run lastRun) {

    /** Whether a recurring run at {@code at} starting now would overlap one still under way. */
    public boolean overlapsActiveRun(Instant at, Instant now) {
        return activeRun != null && !activeRun.equals(at) && activeUntil != null && activeUntil.isAfter(now);
    }
}
