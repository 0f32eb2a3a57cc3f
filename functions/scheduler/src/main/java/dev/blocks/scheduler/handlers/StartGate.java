package dev.blocks.scheduler.handlers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets the runs of one batch all call their targets before any of them writes to the jobs table again, so that
 * those writes do not queue in front of the reads that runs still firing make at their time. Each run holds a
 * {@link Ticket} and counts down once (when it started, or when it will not start); the gate opens when all have,
 * or after a bounded wait, so one slow run never holds the others' records for long.
 */
final class StartGate {

    private static final long MAX_WAIT_MILLIS = 5_000;

    private final AtomicInteger pending;
    private final CompletableFuture<Void> open = new CompletableFuture<>();

    StartGate(int runs) {
        this.pending = new AtomicInteger(runs);
        if (runs <= 0) {
            open.complete(null);
        }
    }

    Ticket ticket() {
        return new Ticket();
    }

    /** Completes when every run of the batch has started or given up, or the wait ran out. */
    CompletableFuture<Void> opened() {
        return open.completeOnTimeout(null, MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One run's place at the gate. */
    final class Ticket {
        private final AtomicBoolean counted = new AtomicBoolean();

        /** This run has started (or will not); only the first call counts. */
        void started() {
            if (counted.compareAndSet(false, true) && pending.decrementAndGet() == 0) {
                open.complete(null);
            }
        }

        /** Counts this run as started and waits (boundedly) until the gate opens. */
        void awaitStarts() throws InterruptedException {
            started();
            try {
                open.get(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Open it is, for this run: the wait is bounded.
            }
        }

        /** The gate, for work that should wait for it without holding a thread. */
        CompletableFuture<Void> opened() {
            return StartGate.this.opened();
        }
    }
}
