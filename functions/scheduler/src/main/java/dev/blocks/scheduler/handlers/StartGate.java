package dev.blocks.scheduler.handlers;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets the runs of one batch make their starting writes before any of them makes its closing writes. Each run
 * holds a {@link Ticket} and counts down once (when it started, or when it will not start); waiting is bounded,
 * so one slow run never holds the others' records for long.
 */
final class StartGate {

    private static final long MAX_WAIT_MILLIS = 5_000;

    private final CountDownLatch pending;

    StartGate(int runs) {
        this.pending = new CountDownLatch(runs);
    }

    Ticket ticket() {
        return new Ticket();
    }

    /** One run's place at the gate. */
    final class Ticket {
        private final AtomicBoolean counted = new AtomicBoolean();

        /** This run has started (or will not); only the first call counts. */
        void started() {
            if (counted.compareAndSet(false, true)) {
                pending.countDown();
            }
        }

        /** Waits (boundedly) until every run of the batch has started or given up. */
        void awaitStarts() throws InterruptedException {
            started();
            pending.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
