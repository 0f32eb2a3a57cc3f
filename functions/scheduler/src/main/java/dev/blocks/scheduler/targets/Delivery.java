package dev.blocks.scheduler.targets;

import java.time.Instant;

/**
 * What one attempt of a run hands to its target. {@code idempotencyKey} is the same for every attempt of a run
 * (job id + scheduled time), so a target that records it applies the run's effect once however often it is
 * delivered — the contract that makes at-least-once execution safe.
 */
public record Delivery(String jobId, Instant scheduledAt, int attempt, String payload) {

    public String idempotencyKey() {
        return jobId + "@" + scheduledAt;
    }
}
