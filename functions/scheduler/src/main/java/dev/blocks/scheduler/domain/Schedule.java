package dev.blocks.scheduler.domain;

import java.time.Instant;
import java.util.Optional;

/** When a job runs: once, on a cron expression in a time zone, or at a fixed rate. */
public sealed interface Schedule permits OneTime, CronSchedule, RateSchedule {

    /** The first firing strictly after {@code after}; empty when there is none. */
    Optional<Instant> nextAfter(Instant after);

    /** The first run of a job created at {@code now}. */
    Optional<Instant> first(Instant now);

    /** Whether each firing produces another (a recurring job is a template of runs). */
    boolean recurring();
}
