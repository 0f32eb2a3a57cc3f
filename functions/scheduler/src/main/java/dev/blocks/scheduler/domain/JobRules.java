package dev.blocks.scheduler.domain;

import dev.blocks.kit.validation.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a job request into a job, or into every reason it is invalid. A job has exactly one schedule kind: runAt
 * (omitted = now), cron (+ timeZone, default UTC) or rate.
 */
public record JobRules(CatchUp catchUp, int maxPayloadBytes, int defaultMaxAttempts, int maxAttemptsLimit,
                       TargetRules targets) {

    /** The valid job, or the violations (never both). */
    public record Checked(NewJob job, List<FieldError> violations) {}

    public Checked check(JobDraft draft, Instant now) {
        List<FieldError> violations = new ArrayList<>();
        String name = draft.name();
        if (name != null && (name.isBlank() || name.length() > 200)) {
            violations.add(new FieldError("name", "1 to 200 characters"));
        }
        Schedule schedule = schedule(draft, now, violations);
        Target target = targets.validate(draft.target(), violations);
        String payload = draft.payload() == null ? "null" : draft.payload();
        int payloadBytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes > maxPayloadBytes) {
            violations.add(new FieldError("payload", payloadBytes + " bytes; at most " + maxPayloadBytes));
        }
        int maxAttempts = draft.maxAttempts() == null ? defaultMaxAttempts : draft.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > maxAttemptsLimit) {
            violations.add(new FieldError("maxAttempts", "1 to " + maxAttemptsLimit));
        }
        Overlap overlap = Overlap.SKIP;
        if (draft.overlap() != null) {
            Optional<Overlap> parsed = Overlap.parse(draft.overlap());
            if (parsed.isEmpty()) {
                violations.add(new FieldError("overlap", "skip, allow or buffer"));
            } else {
                overlap = parsed.get();
            }
        }
        String key = draft.idempotencyKey();
        if (key != null && (key.isEmpty() || key.length() > 128 || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            violations.add(new FieldError("idempotencyKey", "1 to 128 printable ASCII characters"));
        }
        if (!violations.isEmpty()) {
            return new Checked(null, List.copyOf(violations));
        }
        return new Checked(new NewJob(name, schedule, target, payload, maxAttempts, overlap, key), List.of());
    }

    private Schedule schedule(JobDraft draft, Instant now, List<FieldError> violations) {
        int kinds = (draft.runAt() != null ? 1 : 0) + (draft.cron() != null ? 1 : 0) + (draft.rate() != null ? 1 : 0);
        if (kinds > 1) {
            violations.add(new FieldError("schedule", "give exactly one of runAt, cron and rate"));
            return null;
        }
        if (draft.timeZone() != null && draft.cron() == null) {
            violations.add(new FieldError("timeZone", "only applies to cron"));
            return null;
        }
        if (draft.cron() != null) {
            return cron(draft.cron(), draft.timeZone(), now, violations);
        }
        if (draft.rate() != null) {
            try {
                return RateSchedule.parse(draft.rate(), now);
            } catch (IllegalArgumentException e) {
                violations.add(new FieldError("rate", e.getMessage()));
                return null;
            }
        }
        if (draft.runAt() == null) {
            return new OneTime(now);
        }
        Instant runAt;
        try {
            runAt = OffsetDateTime.parse(draft.runAt()).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new FieldError("runAt", "an ISO-8601 date-time with an offset, e.g. 2030-01-31T09:00:00Z"));
            return null;
        }
        if (catchUp.missed(runAt, now)) {
            violations.add(new FieldError("runAt", "more than " + catchUp.window() + " in the past (the catch-up window)"));
            return null;
        }
        return new OneTime(runAt);
    }

    private static Schedule cron(String expression, String timeZone, Instant now, List<FieldError> violations) {
        ZoneId zone = ZoneOffset.UTC;
        if (timeZone != null) {
            try {
                zone = ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                violations.add(new FieldError("timeZone", "unknown time zone " + timeZone + " (use an IANA name such as Europe/Berlin)"));
                return null;
            }
        }
        try {
            CronSchedule schedule = CronSchedule.parse(expression, zone);
            if (schedule.first(now).isEmpty()) {
                violations.add(new FieldError("cron", "never fires after now"));
                return null;
            }
            return schedule;
        } catch (IllegalArgumentException e) {
            violations.add(new FieldError("cron", e.getMessage() == null ? "not a valid cron expression" : e.getMessage()));
            return null;
        }
    }
}
