package dev.blocks.scheduler.store;

import java.time.Instant;

/** A run waiting for dispatch, as the due index lists it; {@code dispatchLease} is null when nobody claimed it. */
public record DueEntry(String jobId, Instant scheduledAt, Instant dispatchLease) {

    public boolean leased(Instant now) {
        return dispatchLease != null && dispatchLease.isAfter(now);
    }
}
