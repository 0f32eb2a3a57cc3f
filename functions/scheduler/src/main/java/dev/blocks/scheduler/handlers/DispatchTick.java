package dev.blocks.scheduler.handlers;

import dev.blocks.kit.lambda.Invocation;
import dev.blocks.scheduler.domain.CatchUp;
import dev.blocks.scheduler.domain.DueBuckets;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.QueueDelay;
import dev.blocks.scheduler.domain.RunOutcome;
import dev.blocks.scheduler.domain.ShardRange;
import dev.blocks.scheduler.store.DueEntry;
import dev.blocks.scheduler.store.DueIndex;
import dev.blocks.scheduler.store.JobTable;
import dev.blocks.scheduler.store.RunLedger;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One tick of the dispatcher: reads every due-index partition of the window [now - lookback, next tick + margin),
 * plus older buckets up to the watermark after an outage, claims each unclaimed run with a conditional write and
 * sends it to the run queue with DelaySeconds = the time left. Runs late beyond the catch-up window are recorded
 * as MISSED; a recurring job then fires once at once when an occurrence falls inside the window. Partitions are read
 * in parallel; each stops before the next run once the invocation's deadline is near ({@link Invocation#eachInTime}),
 * sends what it claimed, and leaves the rest (and the watermark) for the next tick.
 */
final class DispatchTick {

    private static final Logger LOG = Logger.getLogger(DispatchTick.class);

    /** What one tick did. */
    record Result(int partitions, int claimed, int sent, int missed, int failedSends, Duration took) {}

    /** The parts of the configuration a tick needs. */
    record Settings(Duration lead, Duration cadence, Duration margin, Duration lookback, Duration leaseGrace,
                    int catchUpBucketsPerTick, Duration early) {

        /** How far ahead of now a tick claims: one lead (time to enqueue) plus the next tick and a margin. */
        Duration horizon() {
            return lead.plus(cadence).plus(margin);
        }
    }

    private final DueIndex index;
    private final JobTable jobs;
    private final RunLedger ledger;
    private final RunQueue queue;
    private final DueBuckets buckets;
    private final CatchUp catchUp;
    private final Settings settings;
    private final ExecutorService pool;
    private final Clock clock;

    DispatchTick(DueIndex index, JobTable jobs, RunLedger ledger, RunQueue queue, DueBuckets buckets, CatchUp catchUp,
                 Settings settings, ExecutorService pool, Clock clock) {
        this.clock = clock;
        this.index = index;
        this.jobs = jobs;
        this.ledger = ledger;
        this.queue = queue;
        this.buckets = buckets;
        this.catchUp = catchUp;
        this.settings = settings;
        this.pool = pool;
    }

    Result run(Instant now, ShardRange shards) throws InterruptedException {
        long start = System.nanoTime();
        Instant horizon = now.plus(settings.horizon());
        Instant recent = now.minus(settings.lookback());
        String group = shards.toString();
        Instant watermark = index.watermark(group).orElse(recent);
        List<String> keys = new ArrayList<>();
        Instant oldEnd = recent;
        if (watermark.isBefore(recent)) {
            // After an outage: walk the missed buckets oldest first, a bounded number per tick.
            Instant limit = watermark.plus(buckets.bucket().multipliedBy(settings.catchUpBucketsPerTick()));
            oldEnd = limit.isBefore(recent) ? limit : recent;
            keys.addAll(buckets.keysBetween(watermark, oldEnd, shards));
        }
        keys.addAll(buckets.keysBetween(recent, horizon, shards));

        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger missed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        // The pool's threads work for this invocation: they stop on its deadline and log its request id.
        Invocation invocation = Invocation.current();
        List<Future<Boolean>> work = new ArrayList<>();
        for (String key : keys) {
            work.add(pool.submit(() -> Invocation.callWith(invocation,
                    () -> partition(key, now, horizon, claimed, sent, missed, failed))));
        }
        boolean complete = true;
        for (Future<Boolean> future : work) {
            try {
                complete &= future.get();
            } catch (ExecutionException e) {
                complete = false;
                LOG.warnf(e.getCause(), "a due partition could not be dispatched; the next tick retries it");
            }
        }
        // A partition cut short by the deadline, or failed, keeps the watermark where it was: the next tick reads
        // the same window again (within the lookback) or walks it as catch-up.
        if (complete) {
            index.advanceWatermark(group, oldEnd.isBefore(recent) ? oldEnd : horizon);
        }
        Result result = new Result(keys.size(), claimed.get(), sent.get(), missed.get(), failed.get(),
                Duration.ofNanos(System.nanoTime() - start));
        LOG.infof("tick %s shards %s: %d partitions, %d claimed, %d sent, %d missed, %d failed sends in %d ms", now,
                group, result.partitions(), result.claimed(), result.sent(), result.missed(), result.failedSends(),
                result.took().toMillis());
        return result;
    }

    /** A run this tick claimed, with the claim's lease (given back if the send fails). */
    private record Claimed(RunMessage message, Instant lease) {}

    /**
     * Claims and sends the partition's due runs while the invocation has time; returns whether it got through all of
     * them. Every run it claimed is sent (or its claim given back) before it returns, even when stopped early.
     */
    private boolean partition(String key, Instant now, Instant horizon, AtomicInteger claimed, AtomicInteger sent,
                              AtomicInteger missed, AtomicInteger failed) {
        List<Claimed> batch = new ArrayList<>();
        List<DueEntry> due = index.due(key, horizon);
        int reached = Invocation.current().eachInTime(due, entry -> {
            if (entry.leased(now)) {
                return;
            }
            if (catchUp.missed(entry.scheduledAt(), now)) {
                missed.incrementAndGet();
                missed(entry, now, horizon).ifPresent(run -> batch.add(new Claimed(run, lease(run.scheduledAt(), now))));
            } else {
                Instant lease = lease(entry.scheduledAt(), now);
                if (index.claim(entry.jobId(), entry.scheduledAt(), now, lease)) {
                    claimed.incrementAndGet();
                    batch.add(new Claimed(new RunMessage(entry.jobId(), entry.scheduledAt(), false), lease));
                }
            }
            // Send as claims accumulate: the first runs are on their way while the rest are being claimed.
            if (batch.size() == RunQueue.MAX_BATCH) {
                send(batch, sent, failed);
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            send(batch, sent, failed);
        }
        return reached == due.size();
    }

    private void send(List<Claimed> batch, AtomicInteger sent, AtomicInteger failed) {
        // The delay is the time left when the message leaves, not when the tick began: a slow tick must not make
        // its runs arrive late.
        Instant now = clock.instant();
        List<RunQueue.Delayed> runs = new ArrayList<>();
        for (Claimed run : batch) {
            runs.add(new RunQueue.Delayed(run.message(), QueueDelay.seconds(run.message().scheduledAt(), now, settings.early())));
        }
        List<RunQueue.Delayed> unsent = queue.sendAll(runs);
        sent.addAndGet(runs.size() - unsent.size());
        failed.addAndGet(unsent.size());
        for (RunQueue.Delayed run : unsent) {
            index.release(run.message().jobId(), batch.get(runs.indexOf(run)).lease());
        }
    }

    /** Records the run as MISSED; returns the catch-up run to send at once, if the job has one. */
    private Optional<RunMessage> missed(DueEntry entry, Instant now, Instant horizon) {
        Optional<Job> found = jobs.find(entry.jobId());
        if (found.isEmpty() || found.get().status() != JobStatus.SCHEDULED || !entry.scheduledAt().equals(found.get().nextRunAt())) {
            return Optional.empty();
        }
        Job job = found.get();
        String reason = "not dispatched within the catch-up window of " + catchUp.window();
        RunLedger.Advance advance = RunLedger.Advance.NONE;
        Instant catchUpRun = null;
        Instant next = catchUp.misfire(job.schedule(), entry.scheduledAt(), now).map(CatchUp.Misfire::next).orElse(null);
        if (next != null) {
            boolean soon = next.isBefore(horizon);
            catchUpRun = soon ? next : null;
            advance = new RunLedger.Advance(next, buckets.keyOf(job.jobId(), next), soon ? lease(next, now) : null);
        }
        if (!ledger.close(job, entry.scheduledAt(), RunOutcome.MISSED, advance, now, reason) || catchUpRun == null) {
            return Optional.empty();
        }
        return Optional.of(new RunMessage(job.jobId(), catchUpRun, false));
    }

    private Instant lease(Instant at, Instant now) {
        return (at.isAfter(now) ? at : now).plus(settings.leaseGrace());
    }
}
