package dev.blocks.scheduler.handlers;

import dev.blocks.kit.metrics.Metrics;
import dev.blocks.scheduler.domain.Backoff;
import dev.blocks.scheduler.domain.CatchUp;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.Overlap;
import dev.blocks.scheduler.domain.QueueDelay;
import dev.blocks.scheduler.domain.Run;
import dev.blocks.scheduler.domain.RunOutcome;
import dev.blocks.scheduler.store.DueIndex;
import dev.blocks.scheduler.store.RunLedger;
import dev.blocks.scheduler.store.RunMessage;
import dev.blocks.scheduler.store.RunQueue;
import dev.blocks.scheduler.targets.Delivery;
import dev.blocks.scheduler.targets.DeliveryFailed;
import dev.blocks.scheduler.targets.Targets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One delivery of a run message, as the worker handles it. The message arrives {@code early}: the worker reads the
 * job and the run record and takes the attempt then (first, retry, or after a dead worker), so that every write
 * that decides who runs it is made before the run's time. At the time it reads the job once more (one batched read
 * for all runs due together) so that a pause or cancel up to that moment still takes effect, calls the target, and
 * meanwhile records the call's real start and moves the job on to its next run. The outcome is recorded afterwards. A failure before the last
 * attempt hides the message for the backoff and reports it failed, so SQS redelivers it then; the last failure
 * parks the run in the DLQ.
 *
 * <p>Whoever moves a recurring job to its next run (the run firing, or one skipped, buffered or missed) also
 * enqueues that next run when it falls due before the dispatcher's next window could see it, claimed in the same
 * write as jobs-api claims a new job's first run ({@link Admission}), so the dispatcher leaves it alone. A run found
 * later than the catch-up window (its messages waited out a worker outage) follows {@link CatchUp}: it is recorded
 * MISSED and a recurring job fires once for the window, instead of every stale run firing when the workers return.
 */
final class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    /** Beyond the intended early arrival, a message is put back rather than waited for (DelaySeconds ≤ 15 min). */
    private static final Duration WAIT_SLACK = Duration.ofSeconds(2);

    /** Milliseconds from a run's time to its first target call (retries are late on purpose and not counted). */
    static final String LATENESS = "scheduler.lateness";
    /** Runs whose target was called for the first time. */
    static final String RUNS_FIRED = "scheduler.runs_fired";
    /** Runs whose target call succeeded (on any attempt). */
    static final String RUNS_SUCCEEDED = "scheduler.runs_succeeded";
    /** Target calls that failed, each attempt counted (the run is retried or, after its last, dead-lettered). */
    static final String ATTEMPTS_FAILED = "scheduler.attempts_failed";
    /** Runs that used up their attempts and were parked in the dead-letter queue. */
    static final String RUNS_DEAD_LETTERED = "scheduler.runs_dead_lettered";
    /** Runs found later than the catch-up window and recorded MISSED instead of fired. */
    static final String RUNS_MISSED = "scheduler.runs_missed";

    /** What to do with the message: delete it, or leave it hidden for {@code hideSeconds} and redeliver. */
    record Verdict(boolean done, int hideSeconds, String note) {
        static Verdict done(String note) {
            return new Verdict(true, 0, note);
        }

        static Verdict later(int seconds, String note) {
            return new Verdict(false, seconds, note);
        }
    }

    /** The attempt this delivery holds: its number, whether it is a fresh claim, and when the run first started. */
    private record Taken(int attempt, boolean claimed, Instant runStarted) {}

    private final RunLedger ledger;
    private final RunQueue queue;
    private final Targets targets;
    private final Backoff backoff;
    private final Heartbeat heartbeat;
    private final Clock clock;
    private final Duration maxWait;
    private final Executor jobWrites;
    private final Admission admission;
    private final CatchUp catchUp;
    private final DueIndex index;
    private final Metrics metrics;

    /** {@code jobWrites} runs the job's move to its next run beside the target call (not on the run's thread). */
    RunExecutor(RunLedger ledger, RunQueue queue, Targets targets, Backoff backoff, Heartbeat heartbeat, Clock clock, Executor jobWrites, Admission admission, CatchUp catchUp,
                DueIndex index, Metrics metrics) {
        this.metrics = metrics;
        this.admission = admission;
        this.catchUp = catchUp;
        this.index = index;
        this.ledger = ledger;
        this.queue = queue;
        this.targets = targets;
        this.backoff = backoff;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.maxWait = admission.early().plus(WAIT_SLACK);
        this.jobWrites = jobWrites;
    }

    Verdict execute(RunMessage message, String receiptHandle) throws InterruptedException {
        return execute(message, receiptHandle, new StartGate(1).ticket());
    }

    /**
     * As {@link #execute(RunMessage, String)}, within a batch whose runs may be due together: {@code gate}, its place
     * at the batch's gate, holds back this run's closing writes until every run of the batch has called its target,
     * so that the bookkeeping of runs that already fired does not queue in front of the reads of runs still firing.
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
        Duration ahead = Duration.between(clock.instant(), at);
        if (ahead.compareTo(maxWait) > 0) {
            return Verdict.later((int) Math.min(QueueDelay.MAX_SECONDS * 48L, ahead.minus(maxWait).toSeconds() + 1), "not due yet");
        }
        RunLedger.Snapshot snapshot = ledger.read(message.jobId(), at);
        Job job = snapshot.job();
        Run run = snapshot.run();
        Instant now = clock.instant();
        if (job == null) {
            return Verdict.done("the job no longer exists");
        }
        if (run != null && run.outcome().finished()) {
            settle(job, message, run, now);
            return Verdict.done("duplicate delivery of a finished run");
        }
        Taken taken;
        if (run == null) {
            Optional<Verdict> refused = refusal(job, message);
            if (refused.isPresent()) {
                return refused.get();
            }
            Optional<CatchUp.Misfire> misfire = message.triggered() ? Optional.empty() : catchUp.misfire(job.schedule(), at, now);
            if (misfire.isPresent()) {
                return missed(job, at, misfire.get(), now);
            }
            if (!ledger.claim(job.jobId(), at, message.triggered(), now, leaseFrom(now))) {
                return Verdict.done("another delivery claimed this run");
            }
            taken = new Taken(1, true, null);
        } else {
            if (!run.takeable(now) && run.outcome() != RunOutcome.BUFFERED) {
                // Never drop an unfinished run on a guess: look again once the holder's lease has run out.
                long held = Duration.between(now, run.leaseUntil()).toSeconds() + 1;
                return Verdict.later((int) Math.max(1, Math.min(held, heartbeat.lease().toSeconds())), "another worker holds this run");
            }
            if (job.status() == JobStatus.CANCELLED) {
                ledger.finish(job, at, run.triggered(), run.attempt(), RunOutcome.CANCELLED, "the job was cancelled", run.startedAt(), null, now);
                return Verdict.done("the job was cancelled");
            }
            int attempt = run.attempt() + 1;
            if (attempt > job.maxAttempts()) {
                // Attempts were used up by workers that died mid-run: nothing more to try.
                return exhausted(job, message, run.attempt(), "no attempt left after workers stopped mid-run", run.startedAt(), null, now);
            }
            if (!ledger.resume(job, run, now, leaseFrom(now))) {
                return Verdict.done("another worker took this run");
            }
            taken = new Taken(attempt, false, run.startedAt());
        }
        int leaseSeconds = (int) heartbeat.lease().toSeconds();
        int attempt = taken.attempt();
        try (Heartbeat.Beat beat = heartbeat.beat(() -> {
            queue.hide(receiptHandle, leaseSeconds);
            ledger.extend(job, at, attempt, leaseFrom(clock.instant()));
        })) {
            Job current = job;
            Duration left = Duration.between(clock.instant(), at);
            if (!left.isNegative() && !left.isZero()) {
                Thread.sleep(left.toMillis(), left.toNanosPart() % 1_000_000);
                // The job as it is at the run's time: a pause or cancel until now still takes effect.
                current = ledger.job(job.jobId());
            }
            Optional<Verdict> withheld = withheld(current, message, taken);
            if (withheld.isPresent()) {
                return withheld.get();
            }
            gate.started();
            return attempt(current, message, taken, gate);
        }
    }

    /** Why a first delivery is not claimed at all, judged from the job as read on arrival. */
    private static Optional<Verdict> refusal(Job job, RunMessage message) {
        if (message.triggered()) {
            return job.status() == JobStatus.CANCELLED ? Optional.of(Verdict.done("the job was cancelled")) : Optional.empty();
        }
        if (job.status() != JobStatus.SCHEDULED || !message.scheduledAt().equals(job.nextRunAt())) {
            return Optional.of(Verdict.done("the job is " + job.status() + " and its next run is " + job.nextRunAt()));
        }
        return Optional.empty();
    }

    /**
     * Why a claimed run does not fire after all, judged at its time: the job was paused, cancelled or moved on (the
     * claim is taken back, as if never made), or, for a recurring job, the overlap policy holds it back.
     */
    private Optional<Verdict> withheld(Job job, RunMessage message, Taken taken) {
        Instant at = message.scheduledAt();
        if (!taken.claimed()) {
            // A retry or a take-over: its time has long passed, the job was read just before taking it.
            return Optional.empty();
        }
        if (job == null) {
            ledger.withdraw(message.jobId(), at);
            return Optional.of(Verdict.done("the job no longer exists"));
        }
        Optional<Verdict> refused = refusal(job, message);
        if (refused.isPresent()) {
            ledger.withdraw(job.jobId(), at);
            return refused;
        }
        Instant now = clock.instant();
        if (!message.triggered() && job.schedule().recurring() && job.overlapsActiveRun(at, now) && job.overlap() != Overlap.ALLOW) {
            boolean buffer = job.overlap() == Overlap.BUFFER && job.bufferedRun() == null;
            RunOutcome outcome = buffer ? RunOutcome.BUFFERED : RunOutcome.SKIPPED;
            ledger.withdraw(job.jobId(), at);
            RunLedger.Advance advance = advance(job, at, now);
            if (ledger.close(job, at, outcome, advance, now, "the run of " + job.activeRun() + " was still under way")) {
                enqueue(job.jobId(), advance);
            }
            return Optional.of(Verdict.done(outcome.name().toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }

    /** The job's next run after this one: never in the past, so missed occurrences collapse into this run. */
    private RunLedger.Advance advance(Job job, Instant at, Instant now) {
        if (!job.schedule().recurring()) {
            return RunLedger.Advance.NONE;
        }
        Instant from = at.isAfter(now) ? at : now;
        return job.schedule().nextAfter(from).map(next -> towards(job, next, now)).orElse(RunLedger.Advance.NONE);
    }

    /**
     * The job's move to {@code next}: claimed in the same write when it falls due before the dispatcher's next window
     * could see it (as jobs-api claims a first run), so that this worker enqueues it and no dispatcher does.
     */
    private RunLedger.Advance towards(Job job, Instant next, Instant now) {
        Admission.Plan plan = admission.plan(job.jobId(), next, now);
        return new RunLedger.Advance(next, plan.dueKey(), plan.lease());
    }

    /**
     * Sends the next run that a successful move claimed. The delay is the time left when it leaves. A failed send
     * gives the claim back at once, so the dispatcher's next tick enqueues it; a worker that dies before sending
     * leaves a claim that lapses after the lease grace, and a tick's lookback enqueues it then.
     */
    private void enqueue(String jobId, RunLedger.Advance advance) {
        if (advance.nextLease() == null) {
            return;
        }
        try {
            queue.send(new RunMessage(jobId, advance.next(), false), QueueDelay.seconds(advance.next(), clock.instant(), admission.early()));
        } catch (SdkException e) {
            LOG.warnf("enqueueing the run of %s of job %s failed, the dispatcher takes over: %s", advance.next(), jobId, e.toString());
            index.release(jobId, advance.nextLease());
        }
    }

    /** A first delivery later than the catch-up window: recorded MISSED; a recurring job goes on as the policy says. */
    private Verdict missed(Job job, Instant at, CatchUp.Misfire misfire, Instant now) {
        RunLedger.Advance advance = misfire.next() == null ? RunLedger.Advance.NONE : towards(job, misfire.next(), now);
        if (!ledger.close(job, at, RunOutcome.MISSED, advance, now, "not run within the catch-up window of " + catchUp.window())) {
            return Verdict.done("the job changed meanwhile");
        }
        enqueue(job.jobId(), advance);
        metrics.increment(RUNS_MISSED);
        return Verdict.done("missed; the job goes on with " + advance.next());
    }

    private Verdict attempt(Job job, RunMessage message, Taken taken, StartGate.Ticket gate) throws InterruptedException {
        Instant at = message.scheduledAt();
        int attempt = taken.attempt();
        // The moment the target is called: recorded as the attempt's (and, for the first, the run's) start.
        Instant startedAt = clock.instant();
        Instant runStarted = taken.runStarted() != null ? taken.runStarted() : startedAt;
        if (taken.runStarted() == null) {
            metrics.record(LATENESS, Duration.between(at, startedAt).toMillis());
            metrics.increment(RUNS_FIRED);
        }
        CompletableFuture<Boolean> fired = fire(job, message, attempt, runStarted, startedAt, gate);
        String error = null;
        try {
            targets.deliver(job.target(), new Delivery(job.jobId(), at, attempt, job.payload()));
        } catch (DeliveryFailed e) {
            error = e.getMessage();
        } catch (Exception e) {
            error = e.toString();
        }
        Instant now = clock.instant();
        if (!fired.join()) {
            LOG.infof("job %s changed while its run of %s fired; the run is recorded all the same", job.jobId(), at);
        }
        gate.awaitStarts();
        if (error == null) {
            metrics.increment(RUNS_SUCCEEDED);
            ledger.finish(job, at, message.triggered(), attempt, RunOutcome.SUCCEEDED, null, runStarted, startedAt, now);
            releaseBuffered(job, at);
            return Verdict.done("succeeded on attempt " + attempt);
        }
        LOG.infof("job %s run %s attempt %d failed: %s", job.jobId(), at, attempt, error);
        metrics.increment(ATTEMPTS_FAILED);
        if (attempt < job.maxAttempts()) {
            Duration wait = backoff.after(attempt);
            ledger.retrying(job, at, attempt, startedAt, error, now);
            return Verdict.later((int) wait.toSeconds(), "retry in " + wait);
        }
        return exhausted(job, message, attempt, error, runStarted, startedAt, now);
    }

    /**
     * The writes of a run that fires, made beside the target call rather than before it: the run record gets the
     * attempt's real start, and the job leaves the due index and advances to its next run (a one-time job shows
     * RUNNING; only the attempt that finds the job still pointing at this run moves it). Like the closing writes
     * they wait until every run of the batch has called its target. True when the job moved or needed not.
     */
    private CompletableFuture<Boolean> fire(Job job, RunMessage message, int attempt, Instant runStarted, Instant now,
                                            StartGate.Ticket gate) {
        Instant at = message.scheduledAt();
        boolean pointsHere = job.status() == JobStatus.SCHEDULED && at.equals(job.nextRunAt());
        boolean moves = message.triggered() || pointsHere;
        Instant lease = leaseFrom(now);
        Run summary = new Run(job.jobId(), at, message.triggered(), RunOutcome.RUNNING, attempt, runStarted, null, null, lease, List.of());
        RunLedger.Advance advance = message.triggered() || !moves ? RunLedger.Advance.NONE : advance(job, at, now);
        JobStatus status = job.schedule().recurring() || message.triggered() ? null : JobStatus.RUNNING;
        return gate.opened().thenApplyAsync(open -> {
                    ledger.started(job.jobId(), at, attempt, now);
                    if (!moves) {
                        return true;
                    }
                    boolean moved = ledger.fire(job, at, message.triggered(), advance, summary, status, lease);
                    if (moved) {
                        enqueue(job.jobId(), advance);
                    }
                    return moved;
                }, jobWrites)
                .exceptionally(e -> {
                    LOG.warnf("recording the run of %s of job %s as fired failed: %s", at, job.jobId(), e.toString());
                    return false;
                });
    }

    /**
     * A finished run the job still points at (the job changed while the run fired, and was resumed since): moves the
     * job past it now, so that it neither fires twice nor stays SCHEDULED for a run that is over.
     */
    private void settle(Job job, RunMessage message, Run run, Instant now) {
        Instant at = message.scheduledAt();
        if (message.triggered() || job.status() != JobStatus.SCHEDULED || !at.equals(job.nextRunAt())) {
            return;
        }
        JobStatus status = null;
        if (!job.schedule().recurring()) {
            status = switch (run.outcome()) {
                case SUCCEEDED -> JobStatus.SUCCEEDED;
                case CANCELLED -> JobStatus.CANCELLED;
                case MISSED -> JobStatus.MISSED;
                default -> JobStatus.FAILED;
            };
        }
        RunLedger.Advance advance = advance(job, at, now);
        if (ledger.fire(job, at, false, advance, run, status, null)) {
            enqueue(job.jobId(), advance);
        }
    }

    private Verdict exhausted(Job job, RunMessage message, int attempts, String error, Instant runStarted,
                              Instant attemptStarted, Instant now) {
        queue.deadLetter(message, attempts, error);
        metrics.increment(RUNS_DEAD_LETTERED);
        ledger.finish(job, message.scheduledAt(), message.triggered(), attempts, RunOutcome.FAILED, error, runStarted, attemptStarted, now);
        releaseBuffered(job, message.scheduledAt());
        return Verdict.done("failed after " + attempts + " attempts; parked in the dead-letter queue");
    }

    /** Once a recurring job's run ends, the run the overlap policy held back goes next, at once. */
    private void releaseBuffered(Job job, Instant finished) {
        if (job.overlap() != Overlap.BUFFER) {
            return;
        }
        // The run may have been buffered while this one ran: read the job as it is now.
        Job current = ledger.job(job.jobId());
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
