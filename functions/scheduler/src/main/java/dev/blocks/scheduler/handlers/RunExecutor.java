package dev.blocks.scheduler.handlers;

import dev.blocks.scheduler.domain.Backoff;
import dev.blocks.scheduler.domain.DueBuckets;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.Overlap;
import dev.blocks.scheduler.domain.QueueDelay;
import dev.blocks.scheduler.domain.Run;
import dev.blocks.scheduler.domain.RunOutcome;
import dev.blocks.scheduler.store.RunLedger;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import dev.blocks.scheduler.targets.Delivery;
import dev.blocks.scheduler.targets.DeliveryFailed;
import dev.blocks.scheduler.targets.Targets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One delivery of a run message, as the worker handles it: wait out the sub-second rest of the delay, read the job
 * and the run record, take the attempt (first, retry, or after a dead worker), apply the overlap policy, deliver to
 * the target under a heartbeat, and record the outcome. A failure before the last attempt hides the message for
 * the backoff and reports it failed, so SQS redelivers it then; the last failure parks the run in the DLQ.
 */
final class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    /** Beyond the intended early arrival, a message is put back rather than waited for (DelaySeconds ≤ 15 min). */
    private static final Duration WAIT_SLACK = Duration.ofSeconds(2);

    /** What to do with the message: delete it, or leave it hidden for {@code hideSeconds} and redeliver. */
    record Verdict(boolean done, int hideSeconds, String note) {
        static Verdict done(String note) {
            return new Verdict(true, 0, note);
        }

        static Verdict later(int seconds, String note) {
            return new Verdict(false, seconds, note);
        }
    }

    private final RunLedger ledger;
    private final RunQueue queue;
    private final Targets targets;
    private final Backoff backoff;
    private final DueBuckets buckets;
    private final Heartbeat heartbeat;
    private final Clock clock;
    private final Duration maxWait;

    RunExecutor(RunLedger ledger, RunQueue queue, Targets targets, Backoff backoff, DueBuckets buckets,
                Heartbeat heartbeat, Clock clock, Duration early) {
        this.ledger = ledger;
        this.queue = queue;
        this.targets = targets;
        this.backoff = backoff;
        this.buckets = buckets;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.maxWait = early.plus(WAIT_SLACK);
    }

    Verdict execute(RunMessage message, String receiptHandle) throws InterruptedException {
        return execute(message, receiptHandle, new StartGate(1).ticket());
    }

    /**
     * As {@link #execute(RunMessage, String)}, within a batch whose runs may be due together: {@code gate}, its place at the batch's gate, holds
     * back this run's closing writes until every run of the batch has made its starting write, so that the writes
     * that decide lateness are not queued behind the bookkeeping of runs that already fired.
     */
    Verdict execute(RunMessage message, String receiptHandle, StartGate.Ticket gate) throws InterruptedException {
        try {
            return run(message, receiptHandle, gate);
        } finally {
            gate.started();
        }
    }

    private Verdict run(RunMessage message, String receiptHandle, StartGate.Ticket gate) throws InterruptedException {
        Instant at = message.scheduledAt();
        Duration early = Duration.between(clock.instant(), at);
        if (early.compareTo(maxWait) > 0) {
            return Verdict.later((int) Math.min(QueueDelay.MAX_SECONDS * 48L, early.minus(maxWait).toSeconds() + 1), "not due yet");
        }
        // Read ahead, then wait for the time: the writes that start the run happen when it is due, so a pause or
        // cancel until then still takes effect (the start is conditional on the job as it is then).
        RunLedger.Snapshot snapshot = ledger.read(message.jobId(), at);
        Duration left = Duration.between(clock.instant(), at);
        if (!left.isNegative() && !left.isZero()) {
            Thread.sleep(left.toMillis(), left.toNanosPart() % 1_000_000);
        }
        Job job = snapshot.job();
        Run run = snapshot.run();
        Instant now = clock.instant();
        if (job == null) {
            return Verdict.done("the job no longer exists");
        }
        if (run != null && run.outcome().finished()) {
            return Verdict.done("duplicate delivery of a finished run");
        }
        int attempt;
        if (run == null) {
            Optional<Verdict> refused = startFirst(job, message, now);
            if (refused.isPresent()) {
                return refused.get();
            }
            attempt = 1;
        } else {
            if (!run.takeable(now) && run.outcome() != RunOutcome.BUFFERED) {
                // Never drop an unfinished run on a guess: look again once the holder's lease has run out.
                long held = Duration.between(now, run.leaseUntil()).toSeconds() + 1;
                return Verdict.later((int) Math.max(1, Math.min(held, heartbeat.lease().toSeconds())), "another worker holds this run");
            }
            if (job.status() == JobStatus.CANCELLED) {
                ledger.finish(job, at, run.triggered(), run.attempt(), RunOutcome.CANCELLED, "the job was cancelled", run.startedAt(), now);
                return Verdict.done("the job was cancelled");
            }
            attempt = run.attempt() + 1;
            if (attempt > job.maxAttempts()) {
                // Attempts were used up by workers that died mid-run: nothing more to try.
                return exhausted(job, message, run.attempt(), "no attempt left after workers stopped mid-run", run.startedAt(), now);
            }
            if (!ledger.resume(job, run, now, leaseFrom(now))) {
                return Verdict.done("another worker took this run");
            }
        }
        Instant startedAt = run != null && run.startedAt() != null ? run.startedAt() : now;
        gate.started();
        return attempt(job, message, attempt, startedAt, receiptHandle, gate);
    }

    /** Creates the run record of a first attempt; empty when the attempt may go ahead. */
    private Optional<Verdict> startFirst(Job job, RunMessage message, Instant now) {
        Instant at = message.scheduledAt();
        if (!message.triggered()) {
            if (job.status() != JobStatus.SCHEDULED || !at.equals(job.nextRunAt())) {
                return Optional.of(Verdict.done("the job is " + job.status() + " and its next run is " + job.nextRunAt()));
            }
        } else if (job.status() == JobStatus.CANCELLED) {
            return Optional.of(Verdict.done("the job was cancelled"));
        }
        RunLedger.Advance advance = message.triggered() ? RunLedger.Advance.NONE : advance(job, at, now);
        if (!message.triggered() && job.schedule().recurring() && job.overlapsActiveRun(at, now) && job.overlap() != Overlap.ALLOW) {
            boolean buffer = job.overlap() == Overlap.BUFFER && job.bufferedRun() == null;
            RunOutcome outcome = buffer ? RunOutcome.BUFFERED : RunOutcome.SKIPPED;
            ledger.close(job, at, outcome, advance, now, "the run of " + job.activeRun() + " was still under way");
            return Optional.of(Verdict.done(outcome.name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (!ledger.start(job, at, message.triggered(), advance, now, leaseFrom(now))) {
            return Optional.of(Verdict.done("another delivery started this run"));
        }
        return Optional.empty();
    }

    /** The job's next run after this one: never in the past, so missed occurrences collapse into this run. */
    private RunLedger.Advance advance(Job job, Instant at, Instant now) {
        if (!job.schedule().recurring()) {
            return RunLedger.Advance.NONE;
        }
        Instant from = at.isAfter(now) ? at : now;
        return job.schedule().nextAfter(from)
                .map(next -> new RunLedger.Advance(next, buckets.keyOf(job.jobId(), next), null))
                .orElse(RunLedger.Advance.NONE);
    }

    private Verdict attempt(Job job, RunMessage message, int attempt, Instant startedAt, String receiptHandle,
                            StartGate.Ticket gate) throws InterruptedException {
        Instant at = message.scheduledAt();
        String error = null;
        int leaseSeconds = (int) heartbeat.lease().toSeconds();
        try (AutoCloseable beat = heartbeat.beat(() -> {
            queue.hide(receiptHandle, leaseSeconds);
            ledger.extend(job, at, attempt, leaseFrom(clock.instant()));
        })) {
            targets.deliver(job.target(), new Delivery(job.jobId(), at, attempt, job.payload()));
        } catch (DeliveryFailed e) {
            error = e.getMessage();
        } catch (Exception e) {
            error = e.toString();
        }
        Instant now = clock.instant();
        gate.awaitStarts();
        if (error == null) {
            ledger.finish(job, at, message.triggered(), attempt, RunOutcome.SUCCEEDED, null, startedAt, now);
            releaseBuffered(job, at);
            return Verdict.done("succeeded on attempt " + attempt);
        }
        LOG.infof("job %s run %s attempt %d failed: %s", job.jobId(), at, attempt, error);
        if (attempt < job.maxAttempts()) {
            Duration wait = backoff.after(attempt);
            ledger.retrying(job, at, attempt, error, now);
            return Verdict.later((int) wait.toSeconds(), "retry in " + wait);
        }
        return exhausted(job, message, attempt, error, startedAt, now);
    }

    private Verdict exhausted(Job job, RunMessage message, int attempts, String error, Instant startedAt, Instant now) {
        queue.deadLetter(message, attempts, error);
        ledger.finish(job, message.scheduledAt(), message.triggered(), attempts, RunOutcome.FAILED, error, startedAt, now);
        releaseBuffered(job, message.scheduledAt());
        return Verdict.done("failed after " + attempts + " attempts; parked in the dead-letter queue");
    }

    /** Once a recurring job's run ends, the run the overlap policy held back goes next, at once. */
    private void releaseBuffered(Job job, Instant finished) {
        if (job.overlap() != Overlap.BUFFER) {
            return;
        }
        // The run may have been buffered while this one ran: read the job as it is now.
        Job current = ledger.read(job.jobId(), finished).job();
        Instant buffered = current == null ? null : current.bufferedRun();
        if (buffered != null && !buffered.equals(finished) && ledger.releaseBuffered(job.jobId(), buffered)) {
            queue.send(new RunMessage(job.jobId(), buffered, false), 0);
        }
    }

    private Instant leaseFrom(Instant now) {
        // One second short of the message's visibility: when SQS redelivers, the old attempt's lease is over.
        return now.plus(heartbeat.lease()).minusSeconds(1);
    }
}
