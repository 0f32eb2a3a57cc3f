package dev.blocks.kit.lambda;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jboss.logging.MDC;

/**
 * The invocation a thread works for: Lambda's request id, the moment by which work must stop so the answer still
 * goes out before Lambda's deadline, and whether it is the execution environment's first invocation (a cold start).
 * {@link FunctionDispatcher} sets it around each invocation, with the same fields in the logging MDC
 * ({@code requestId}, {@code function}, {@code coldStart}; the JSON log lines carry them). Work that loops over a
 * batch asks {@link #stopDue(long)} before each step and leaves the rest for a retry rather than being cut off by
 * the timeout mid-step; work handed to another thread carries it with {@link #callWith}.
 */
public record Invocation(String requestId, String function, long stopAtMillis, boolean coldStart, LongSupplier clock) {

    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    /** Outside any invocation (a function called directly by a test): no deadline. */
    static final Invocation NONE = new Invocation("", "", Long.MAX_VALUE, false, System::currentTimeMillis);

    /** The invocation of this thread; one without a deadline when there is none. */
    public static Invocation current() {
        Invocation invocation = CURRENT.get();
        return invocation == null ? NONE : invocation;
    }

    /** Milliseconds left before work must stop (negative once past). */
    public long millisLeft() {
        return stopAtMillis == Long.MAX_VALUE ? Long.MAX_VALUE : stopAtMillis - clock.getAsLong();
    }

    /** Whether a step that may take {@code stepMillis} would run past the stop. */
    public boolean stopDue(long stepMillis) {
        return millisLeft() <= stepMillis;
    }

    /**
     * Runs {@code step} on the items in order while the longest step so far would still end before the stop, and
     * returns how many ran: the rest are left untouched, for the source to deliver again or the next run to take.
     * Every loop over a batch of work uses this rather than being cut off by the timeout mid-step.
     */
    public <T> int eachInTime(List<? extends T> items, Consumer<? super T> step) {
        long longest = 0;
        int ran = 0;
        for (T item : items) {
            if (stopDue(longest)) {
                break;
            }
            long started = clock.getAsLong();
            step.accept(item);
            longest = Math.max(longest, clock.getAsLong() - started);
            ran++;
        }
        return ran;
    }

    /** Runs {@code work} on this thread as part of {@code invocation} (its deadline and log fields), then restores. */
    public static <T> T callWith(Invocation invocation, Callable<T> work) throws Exception {
        Invocation previous = CURRENT.get();
        enter(invocation);
        try {
            return work.call();
        } finally {
            if (previous == null) {
                leave();
            } else {
                enter(previous);
            }
        }
    }

    static void enter(Invocation invocation) {
        CURRENT.set(invocation);
        MDC.put("requestId", invocation.requestId());
        MDC.put("function", invocation.function());
        MDC.put("coldStart", String.valueOf(invocation.coldStart()));
    }

    /** Clears the invocation and every MDC field set during it (the owner too), so none leaks into the next. */
    static void leave() {
        CURRENT.remove();
        MDC.clear();
    }
}
