package dev.blocks.scheduler.domain;

import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression read in a time zone. cron-utils finds the matching wall-clock times (computed in UTC, where no
 * clock jumps); this class maps them onto the zone with the daylight saving rules of this scheduler: a local time
 * that does not exist (spring forward) is skipped, and a local time that happens twice (fall back) fires once, at
 * its first occurrence.
 */
public record CronSchedule(String expression, CronSyntax syntax, ZoneId zone, ExecutionTime wallClock) implements Schedule {

    /** Candidates skipped in a row before giving up: more than any real expression needs across a DST change. */
    private static final int MAX_CANDIDATES = 10_000;

    /** @throws IllegalArgumentException with the reason when the expression is not valid cron in either dialect */
    public static CronSchedule parse(String expression, ZoneId zone) {
        CronSyntax syntax = CronSyntax.of(expression).orElseThrow(() -> new IllegalArgumentException(
                "has " + CronSyntax.fieldsOf(expression).length + " fields; use 5 (Unix: minute hour day-of-month "
                        + "month day-of-week) or 6 (EventBridge: minutes hours day-of-month month day-of-week year)"));
        ExecutionTime executionTime = ExecutionTime.forCron(syntax.parse(expression));
        return new CronSchedule(CronSyntax.bare(expression), syntax, zone, executionTime);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
        Optional<ZonedDateTime> candidate = wallClock.nextExecution(wall.atZone(ZoneOffset.UTC));
        for (int i = 0; i < MAX_CANDIDATES && candidate.isPresent(); i++) {
            LocalDateTime local = candidate.get().toLocalDateTime();
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            // No offset: the local time falls in a spring-forward gap. Two: it happens twice; the first counts.
            if (!offsets.isEmpty()) {
                Instant at = local.toInstant(offsets.get(0));
                if (at.isAfter(after)) {
                    return Optional.of(at);
                }
            }
            candidate = wallClock.nextExecution(candidate.get());
        }
        return Optional.empty();
    }

    @Override
    public Optional<Instant> first(Instant now) {
        return nextAfter(now);
    }

    @Override
    public boolean recurring() {
        return true;
    }
}
