package dev.blocks.scheduler.domain;

/** The state of one run (one scheduled time of a job). */
public enum RunOutcome {
    RUNNING,
    /** An attempt failed; the next one waits for its backoff. */
    RETRYING,
    SUCCEEDED,
    /** Every attempt failed: the run went to the dead-letter queue. */
    FAILED,
    /** Its time passed beyond the catch-up window. */
    MISSED,
    /** The previous run was still under way (overlap policy skip, or a full buffer). */
    SKIPPED,
    /** Waiting for the previous run to end (overlap policy buffer). */
    BUFFERED,
    /** The job was cancelled between attempts. */
    CANCELLED;

    public boolean finished() {
        return this != RUNNING && this != RETRYING && this != BUFFERED;
    }
}
