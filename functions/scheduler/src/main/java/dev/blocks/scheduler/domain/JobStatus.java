package dev.blocks.scheduler.domain;

/** The life of a job. SCHEDULED jobs wait for their next run; the last four never change again (but a resume). */
public enum JobStatus {
    SCHEDULED,
    /** A one-time job whose run is under way (retries included). */
    RUNNING,
    PAUSED,
    SUCCEEDED,
    FAILED,
    /** A one-time job whose time passed beyond the catch-up window while nothing dispatched it. */
    MISSED,
    CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == MISSED || this == CANCELLED;
    }
}
