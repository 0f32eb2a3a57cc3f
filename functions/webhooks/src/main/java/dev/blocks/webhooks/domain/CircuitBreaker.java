package dev.blocks.webhooks.domain;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The breaker of one endpoint. CLOSED: every delivery goes out; {@code threshold} failures in a row open it.
 * OPEN: nothing goes out for {@code openFor}; callers defer their messages instead of spending a connection (and,
 * for an endpoint that hangs, up to the whole timeout) on it. Then HALF_OPEN: one delivery, the probe, goes out;
 * its success closes the breaker, its failure opens it again. A probe that never reports (its caller died) is
 * replaced after another {@code openFor}.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int failures;
    private long since;

    public CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
        if (threshold < 1 || openFor.isNegative()) {
            throw new IllegalArgumentException("threshold must be at least 1 and openFor not negative");
        }
        this.threshold = threshold;
        this.openNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    public synchronized State state() {
        return state;
    }

    /** Whether a delivery may go out now; in HALF_OPEN only the caller that gets true is the probe. */
    public synchronized boolean tryAcquire() {
        if (state == State.CLOSED) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (now - since >= openNanos) {
            state = State.HALF_OPEN;
            since = now;
            return true;
        }
        return false;
    }

    /** How long until a delivery may go out again (zero when closed). */
    public synchronized Duration untilProbe() {
        if (state == State.CLOSED) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, since + openNanos - nanoClock.getAsLong()));
    }

    public synchronized void onSuccess() {
        failures = 0;
        state = State.CLOSED;
    }

    public synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            since = nanoClock.getAsLong();
        }
    }
}
