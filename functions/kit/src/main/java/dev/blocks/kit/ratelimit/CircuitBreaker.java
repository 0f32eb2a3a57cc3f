package dev.blocks.kit.ratelimit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Stops asking a Redis that keeps failing. CLOSED: every call goes through; {@code failureThreshold} failures in
 * a row open it. OPEN: no call goes through (the limiter falls back at once, so a dead Redis costs no latency)
 * until {@code openNanos} have passed. HALF_OPEN: exactly one call, the probe, goes through; its success closes
 * the breaker, its failure opens it again. Every state change is reported to the listener once.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Told about every state change, on the thread that caused it. */
    interface Listener {
        void changed(State from, State to, String reason);
    }

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile State state = State.CLOSED;
    private long openedAt;
    private long probeStartedAt;

    CircuitBreaker(int failureThreshold, long openNanos, LongSupplier nanoClock, Listener listener) {
        if (failureThreshold < 1 || openNanos < 0) {
            throw new IllegalArgumentException("failureThreshold must be at least 1 and openNanos not negative");
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    public State state() {
        return state;
    }

    /** Whether a call may go to Redis now; in HALF_OPEN only the caller that gets true is the probe. */
    boolean tryAcquire() {
        if (state == State.CLOSED) {
            return true;
        }
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (state == State.OPEN && now - openedAt >= openNanos) {
                probeStartedAt = now;
                move(State.HALF_OPEN, "probing after " + openNanos / 1_000_000 + " ms open");
                return true;
            }
            // A probe that never reported (its caller died) must not keep the breaker half open forever.
            if (state == State.HALF_OPEN && now - probeStartedAt >= openNanos) {
                probeStartedAt = now;
                return true;
            }
            return state == State.CLOSED;
        }
    }

    /** How long until a call may go through again (0 when closed). */
    long nanosUntilProbe() {
        if (state == State.CLOSED) {
            return 0;
        }
        synchronized (this) {
            long base = state == State.OPEN ? openedAt : probeStartedAt;
            return Math.max(0, base + openNanos - nanoClock.getAsLong());
        }
    }

    void onSuccess() {
        if (state == State.CLOSED) {
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            return;
        }
        synchronized (this) {
            consecutiveFailures.set(0);
            if (state != State.CLOSED) {
                move(State.CLOSED, "Redis answered");
            }
        }
    }

    void onFailure(Throwable cause) {
        int failures = consecutiveFailures.incrementAndGet();
        State seen = state;
        if (seen == State.CLOSED && failures < failureThreshold) {
            return;
        }
        synchronized (this) {
            if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures.get() >= failureThreshold)) {
                openedAt = nanoClock.getAsLong();
                move(State.OPEN, (state == State.HALF_OPEN ? "probe failed: " : failures + " failures in a row, last: ")
                        + describe(cause));
            }
        }
    }

    private void move(State to, String reason) {
        State from = state;
        state = to;
        listener.changed(from, to, reason);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
