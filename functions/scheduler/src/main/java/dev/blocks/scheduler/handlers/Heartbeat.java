package dev.blocks.scheduler.handlers;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps an attempt's lease alive from its claim until its target has answered: every third of the lease it renews
 * the message's visibility and the run's lease. A worker that dies stops renewing, so its run becomes visible (and
 * takeable) again one lease after its last beat — the visibility timeout is how a dead worker is detected.
 */
final class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    /** A running heartbeat; closing it stops the beats. */
    interface Beat extends AutoCloseable {
        @Override
        void close();
    }

    private final ScheduledExecutorService timer;
    private final Duration lease;

    Heartbeat(ScheduledExecutorService timer, Duration lease) {
        this.timer = timer;
        this.lease = lease;
    }

    /** Starts beating; closing the handle stops it. */
    Beat beat(Runnable renew) {
        long period = Math.max(1, lease.toMillis() / 3);
        ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
            try {
                renew.run();
            } catch (RuntimeException e) {
                LOG.warnf("lease renewal failed: %s", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    Duration lease() {
        return lease;
    }
}
