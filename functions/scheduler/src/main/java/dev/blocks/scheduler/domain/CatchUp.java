package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The misfire rule: a run whose time passed while nothing dispatched or ran it (the dispatcher or the workers were
 * down) still fires, once and at once, when it is at most {@code window} late; older runs are recorded as MISSED,
 * and a recurring job then goes on with its oldest occurrence inside the window (which fires at once, standing for
 * all the others it missed) or, when none lies there, with its next one.
 */
public record CatchUp(Duration window) {

    /** A run too late to fire: it is recorded MISSED and its job continues with {@code next} (null: none). */
    public record Misfire(Instant next) {}

    /** What becomes of the run at {@code scheduledAt}, found {@code now}: empty when it still fires. */
    public Optional<Misfire> misfire(Schedule schedule, Instant scheduledAt, Instant now) {
        if (!missed(scheduledAt, now)) {
            return Optional.empty();
        }
        Instant next = schedule.recurring() ? schedule.nextAfter(oldestFiring(now)).orElse(null) : null;
        return Optional.of(new Misfire(next));
    }

    public boolean missed(Instant scheduledAt, Instant now) {
        return scheduledAt.isBefore(now.minus(window));
    }

    /** The oldest time that still fires. */
    public Instant oldestFiring(Instant now) {
        return now.minus(window);
    }
}
