package dev.blocks.kit.breaker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The one circuit breaker: stops calling a dependency that keeps failing (the rate limiter's Redis, a webhook
 * endpoint). CLOSED: every call goes through; {@code failureThreshold} failures in a row open it. OPEN: no call
 * goes through (the caller falls back or defers at once, so a dead dependency costs no latency) for
 * {@code openFor}. HALF_OPEN: exactly one call, the probe, goes through; its success closes the breaker, its
 * failure opens it again for the whole {@code openFor}; a probe that never reports is replaced after another
 * {@code openFor}. Every state change is reported to the listener once. Cheap when closed: no lock on that path.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Told about every state change, on the thread that caused it. */
    public interface Listener {
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

    public CircuitBreaker(int failureThreshold, Duration openFor, LongSupplier nanoClock) {
        this(failureThreshold, openFor, nanoClock, (from, to, reason) -> { });
    }

    public CircuitBreaker(int failureThreshold, Duration openFor, LongSupplier nanoClock, Listener listener) {
        if (failureThreshold < 1 || openFor.isNegative()) {
            throw new IllegalArgumentException("failureThreshold must be at least 1 and openFor not negative");
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    public State state() {
        return state;
    }

    /** Whether a call may go out now; in HALF_OPEN only the caller that gets true is the probe. */
    public boolean tryAcquire() {
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

    /** How long until a call may go through again (zero when closed). */
    public Duration untilProbe() {
        if (state == State.CLOSED) {
            return Duration.ZERO;
        }
        synchronized (this) {
            long base = state == State.OPEN ? openedAt : probeStartedAt;
            return Duration.ofNanos(Math.max(0, base + openNanos - nanoClock.getAsLong()));
        }
    }

    public void onSuccess() {
        if (state == State.CLOSED) {
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            return;
        }
        synchronized (this) {
            consecutiveFailures.set(0);
            if (state != State.CLOSED) {
                move(State.CLOSED, "a call succeeded");
            }
        }
    }

    /** A failed call, without a cause worth reporting. */
    public void onFailure() {
        onFailure(null);
    }

    public void onFailure(Throwable cause) {
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
