package dev.blocks.localcloud.lambda;

import java.util.concurrent.atomic.AtomicInteger;

/** The account's concurrency quota, shared by every function: invocations in flight beyond it are throttled. */
final class AccountConcurrency {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    AccountConcurrency(int limit) {
        this.limit = limit;
    }

    boolean tryAcquire() {
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }
}
