package dev.blocks.scheduler.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The misfire rule: a run whose time passed while nothing dispatched it (the dispatcher was down) still fires,
 * once and at once, when it is at most {@code window} late; older runs are recorded as MISSED.
 */
public record CatchUp(Duration window) {

    public boolean missed(Instant scheduledAt, Instant now) {
        return scheduledAt.isBefore(now.minus(window));
    }

    /** The oldest time that still fires. */
    public Instant oldestFiring(Instant now) {
        return now.minus(window);
    }
}
