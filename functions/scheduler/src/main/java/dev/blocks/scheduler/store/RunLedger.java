package dev.blocks.scheduler.store;

import static dev.blocks.scheduler.store.JobItems.n;
import static dev.blocks.scheduler.store.JobItems.s;

import dev.blocks.scheduler.domain.Attempt;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.Run;
import dev.blocks.scheduler.domain.RunOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Run records and the job changes that go with them. The run item ({@code R#<scheduledAt>}) is the idempotency
 * record of a run: it is created once (a conditional put, the claim, made ahead of the run's time), an attempt is
 * taken by one worker at a time (its lease), and once it has an outcome every later delivery of the same run is
 * dropped. The job's move past a run is a separate update, conditional on the job still pointing at the run, made
 * when the run fires; a run that finished while its job did not move is settled by its next delivery. Runs that do
 * not start (MISSED, SKIPPED, BUFFERED) are recorded together with the job's move, in one transaction.
 */
public final class RunLedger {

    /** A job and one of its runs as read together; either may be null. */
    public record Snapshot(Job job, Run run) {}

    /** The job's next run once this one leaves the due index; {@code next} null: there is none. */
    public record Advance(Instant next, String nextDueKey, Instant nextLease) {

        public static final Advance NONE = new Advance(null, null, null);
    }

    /** How long the first of concurrent reads waits for others to join its BatchGetItem. */
    private static final Duration READ_LINGER = Duration.ofMillis(5);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final ReadBatcher<Map<String, AttributeValue>, Map<String, AttributeValue>> reads;

    public RunLedger(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.reads = new ReadBatcher<>(this::readAll, READ_LINGER, BatchGet.MAX_KEYS);
    }

    /**
     * The job and its run at {@code at}, strongly consistent. Reads of concurrent callers go out together, as one
     * BatchGetItem per up to 100 keys.
     */
    public Snapshot read(String jobId, Instant at) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items =
                reads.read(List.of(JobItems.key(jobId), JobItems.runKey(jobId, at)));
        Map<String, AttributeValue> job = items.get(JobItems.key(jobId));
        Map<String, AttributeValue> run = items.get(JobItems.runKey(jobId, at));
        return new Snapshot(job == null ? null : JobItems.job(job), run == null ? null : JobItems.run(run));
    }

    /** The job as it is now (null if there is none), read together with concurrent callers' reads. */
    public Job job(String jobId) {
        Map<String, AttributeValue> item = reads.read(List.of(JobItems.key(jobId))).get(JobItems.key(jobId));
        return item == null ? null : JobItems.job(item);
    }

    /**
     * Claims the first attempt of a run: creates its run record (the run's idempotency record) unless another
     * delivery did. Taken ahead of the run's time, so the job itself is left as it is until the run fires
     * ({@link #fire}), and the record has no start until the target is called ({@link #started}).
     */
    public boolean claim(String jobId, Instant at, boolean triggered, Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> run = runItem(jobId, at, triggered, RunOutcome.RUNNING, now);
        run.put("attempt", AttributeValue.fromN("1"));
        run.put("leaseUntil", n(leaseUntil));
        run.put("attempts", AttributeValue.fromL(List.of(JobItems.attemptValue(new Attempt(1, null, null, null)))));
        try {
            dynamo.putItem(b -> b.tableName(table).item(run).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Names.of("#pk")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Takes back a claim whose run did not fire (the job was paused, cancelled or moved on before the run's time),
     * as if it had never been made: a resumed job fires that run after all.
     */
    public void withdraw(String jobId, Instant at) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(JobItems.runKey(jobId, at))
                    .conditionExpression("#attempt = :one AND #outcome = :running")
                    .expressionAttributeNames(Names.of("#attempt", "#outcome"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":running", s(RunOutcome.RUNNING.name()))));
        } catch (ConditionalCheckFailedException e) {
            // Another worker took it over meanwhile (its lease had run out): it is theirs now.
        }
    }

    /**
     * Records when attempt {@code attempt} called its target: the attempt's start, and the run's start if no earlier
     * attempt called it. Written beside the call, never before it, so a start is never a planned time.
     */
    public void started(String jobId, Instant at, int attempt, Instant startedAt) {
        ItemUpdate update = new ItemUpdate(table, JobItems.runKey(jobId, at))
                .value(":attempt", AttributeValue.fromN(Integer.toString(attempt)))
                .when("#attempt = :attempt");
        bestEffort(recordStart(update, attempt, startedAt));
    }

    /**
     * The job's side of a run that fires (or, with a finished {@code summary}, that fired while the job still
     * pointed at it): a scheduled run leaves the due index and the job moves to its next run (one-time jobs to
     * {@code status}); a recurring job notes the run under way for its overlap policy; a triggered run only shows
     * as the last run. False when the job changed meanwhile (paused, cancelled, or moved on).
     */
    public boolean fire(Job job, Instant at, boolean triggered, Advance advance, Run summary, JobStatus status, Instant leaseUntil) {
        ItemUpdate update = leaving(job, at, triggered, advance, summary, status);
        if (job.schedule().recurring() && summary.outcome() == RunOutcome.RUNNING && !triggered) {
            update.set("#activeRun = :at").set("#activeUntil = :activeUntil").value(":activeUntil", n(leaseUntil));
        }
        return bestEffort(update);
    }

    /**
     * Records a run that does not start: SKIPPED (overlap), BUFFERED (held until the current run ends) or MISSED
     * (too late), advancing the job past it.
     */
    public boolean close(Job job, Instant at, RunOutcome outcome, Advance advance, Instant now, String reason) {
        Map<String, AttributeValue> run = runItem(job.jobId(), at, false, outcome, now);
        if (outcome.finished()) {
            run.put("finishedAt", n(now));
            run.put(JobItems.EXPIRES_AT, n(now.plus(retention).getEpochSecond()));
        }
        if (reason != null) {
            run.put("error", s(reason));
        }
        Run summary = new Run(job.jobId(), at, false, outcome, 0, null, outcome.finished() ? now : null, reason, null, List.of());
        JobStatus status = job.schedule().recurring() ? null : (outcome == RunOutcome.MISSED ? JobStatus.MISSED : JobStatus.FAILED);
        ItemUpdate jobUpdate = leaving(job, at, false, advance, summary, status);
        if (outcome == RunOutcome.BUFFERED) {
            jobUpdate.set("#bufferedRun = :at").value(":at", n(at)).when("attribute_not_exists(#bufferedRun)");
        }
        return transact(put(run), jobUpdate);
    }

    /**
     * Takes a run that already has a record: the next attempt after a failure, a run whose worker died (its lease
     * ran out), or a buffered run. False when another delivery holds it.
     */
    public boolean resume(Job job, Run run, Instant now, Instant leaseUntil) {
        int attempt = run.attempt() + 1;
        List<AttributeValue> attempts = new java.util.ArrayList<>();
        for (Attempt previous : run.attempts()) {
            boolean lost = run.outcome() == RunOutcome.RUNNING && previous.attempt() == run.attempt() && previous.error() == null;
            // The previous attempt's worker died without a word: say so on its attempt.
            String why = previous.startedAt() == null
                    ? "the worker stopped with no record of calling the target (its lease ran out)"
                    : "the worker stopped during the attempt (its lease ran out)";
            attempts.add(JobItems.attemptValue(lost ? new Attempt(previous.attempt(), previous.startedAt(), null, why) : previous));
        }
        attempts.add(JobItems.attemptValue(new Attempt(attempt, null, null, null)));
        ItemUpdate update = new ItemUpdate(table, JobItems.runKey(run.jobId(), run.scheduledAt()))
                .set("#attempt = :attempt").set("#outcome = :running").set("#leaseUntil = :lease")
                .set("#attempts = :attempts")
                .value(":attempt", AttributeValue.fromN(Integer.toString(attempt)))
                .value(":running", s(RunOutcome.RUNNING.name())).value(":lease", n(leaseUntil))
                .value(":attempts", AttributeValue.fromL(attempts)).value(":now", n(now))
                .value(":prev", AttributeValue.fromN(Integer.toString(run.attempt())))
                .value(":retrying", s(RunOutcome.RETRYING.name())).value(":buffered", s(RunOutcome.BUFFERED.name()))
                .when("#attempt = :prev")
                .when("#outcome IN (:retrying, :buffered) OR (#outcome = :running AND #leaseUntil < :now)");
        try {
            dynamo.updateItem(update.request());
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        if (job.schedule().recurring()) {
            bestEffort(new ItemUpdate(table, JobItems.key(job.jobId())).set("#activeRun = :at").set("#activeUntil = :until")
                    .value(":at", n(run.scheduledAt())).value(":until", n(leaseUntil)));
        }
        return true;
    }

    /** Extends the lease of the attempt under way (the heartbeat of a long target). */
    public void extend(Job job, Instant at, int attempt, Instant leaseUntil) {
        bestEffort(new ItemUpdate(table, JobItems.runKey(job.jobId(), at)).set("#leaseUntil = :until")
                .value(":until", n(leaseUntil)).value(":attempt", AttributeValue.fromN(Integer.toString(attempt)))
                .value(":running", s(RunOutcome.RUNNING.name()))
                .when("#attempt = :attempt AND #outcome = :running"));
        if (job.schedule().recurring()) {
            bestEffort(new ItemUpdate(table, JobItems.key(job.jobId())).set("#activeUntil = :until")
                    .value(":until", n(leaseUntil)).value(":at", n(at)).when("#activeRun = :at"));
        }
    }

    /** The attempt failed and another follows after a backoff. */
    public boolean retrying(Job job, Instant at, int attempt, Instant attemptStarted, String error, Instant now) {
        ItemUpdate update = attemptEnded(job.jobId(), at, attempt, attemptStarted, RunOutcome.RETRYING, error, now);
        try {
            dynamo.updateItem(update.request());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The run ended: SUCCEEDED, FAILED (attempts exhausted), CANCELLED (the job was cancelled meanwhile) or SKIPPED.
     * {@code attemptStarted}: when this attempt called its target (null if it never did); {@code startedAt}: when
     * the run did (its first attempt).
     */
    public boolean finish(Job job, Instant at, boolean triggered, int attempt, RunOutcome outcome, String error,
                          Instant startedAt, Instant attemptStarted, Instant now) {
        ItemUpdate run = attemptEnded(job.jobId(), at, attempt, attemptStarted, outcome, error, now)
                .set("#finishedAt = :now").set("#expiresAt = :expires")
                .value(":expires", n(now.plus(retention).getEpochSecond()));
        try {
            dynamo.updateItem(run.request());
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        Run summary = new Run(job.jobId(), at, triggered, outcome, attempt, startedAt, now, error, null, List.of());
        ItemUpdate jobUpdate = new ItemUpdate(table, JobItems.key(job.jobId())).set("#lastRun = :last")
                .value(":last", JobItems.lastRunValue(summary));
        if (job.schedule().recurring()) {
            jobUpdate.remove("#activeRun", "#activeUntil").value(":at", n(at)).when("#activeRun = :at");
        } else if (!triggered) {
            JobStatus status = outcome == RunOutcome.SUCCEEDED ? JobStatus.SUCCEEDED
                    : outcome == RunOutcome.CANCELLED ? JobStatus.CANCELLED : JobStatus.FAILED;
            jobUpdate.set("#status = :final").value(":final", s(status.name()))
                    .value(":running", s(JobStatus.RUNNING.name())).when("#status = :running");
        }
        if (!bestEffort(jobUpdate)) {
            // The condition failed (the job was cancelled or moved on): still show this run as the last one.
            bestEffort(new ItemUpdate(table, JobItems.key(job.jobId())).set("#lastRun = :last")
                    .value(":last", JobItems.lastRunValue(summary)));
        }
        return true;
    }

    /** Lets the buffered run go (its predecessor ended); true when this caller is the one to enqueue it. */
    public boolean releaseBuffered(String jobId, Instant buffered) {
        return bestEffort(new ItemUpdate(table, JobItems.key(jobId)).remove("#bufferedRun")
                .value(":b", n(buffered)).when("#bufferedRun = :b"));
    }

    private ItemUpdate attemptEnded(String jobId, Instant at, int attempt, Instant attemptStarted, RunOutcome outcome,
                                    String error, Instant now) {
        int index = attempt - 1;
        ItemUpdate update = new ItemUpdate(table, JobItems.runKey(jobId, at))
                .set("#outcome = :outcome").remove("#leaseUntil")
                .set("#attempts[" + index + "].#finishedAt = :now")
                .value(":outcome", s(outcome.name())).value(":now", n(now))
                .value(":attempt", AttributeValue.fromN(Integer.toString(attempt)))
                .value(":running", s(RunOutcome.RUNNING.name()))
                .when("#attempt = :attempt AND #outcome = :running");
        if (attemptStarted != null) {
            // Again with the outcome, in case the write beside the call was lost.
            recordStart(update, attempt, attemptStarted);
        }
        if (error != null) {
            update.set("#error = :error").set("#attempts[" + index + "].#error = :error").value(":error", s(truncate(error)));
        }
        return update;
    }

    private static ItemUpdate recordStart(ItemUpdate update, int attempt, Instant startedAt) {
        return update.set("#attempts[" + (attempt - 1) + "].#startedAt = :started")
                .set("#startedAt = if_not_exists(#startedAt, :started)").value(":started", n(startedAt));
    }

    /** The job update of a scheduled run leaving the due index (or of a triggered run starting). */
    private ItemUpdate leaving(Job job, Instant at, boolean triggered, Advance advance, Run summary, JobStatus status) {
        ItemUpdate update = new ItemUpdate(table, JobItems.key(job.jobId())).set("#lastRun = :last")
                .value(":last", JobItems.lastRunValue(summary));
        if (triggered) {
            return update.value(":cancelled", s(JobStatus.CANCELLED.name())).when("#status <> :cancelled");
        }
        update.value(":at", n(at)).value(":scheduled", s(JobStatus.SCHEDULED.name()))
                .when("#nextRunAt = :at AND #status = :scheduled");
        if (status != null) {
            update.set("#status = :status").value(":status", s(status.name()));
        }
        if (advance.next() != null) {
            update.set("#nextRunAt = :next").set("#dueKey = :nextKey")
                    .value(":next", n(advance.next())).value(":nextKey", s(advance.nextDueKey()));
            if (advance.nextLease() != null) {
                update.set("#dispatchLease = :nextLease").value(":nextLease", n(advance.nextLease()));
            } else {
                update.remove("#dispatchLease");
            }
        } else {
            update.remove("#nextRunAt", "#dueKey", "#dispatchLease");
        }
        return update;
    }

    private Map<String, AttributeValue> runItem(String jobId, Instant at, boolean triggered, RunOutcome outcome, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(JobItems.runKey(jobId, at));
        item.put("scheduledAt", n(at));
        item.put("outcome", s(outcome.name()));
        item.put("createdAt", n(now));
        item.put("attempt", AttributeValue.fromN("0"));
        if (triggered) {
            item.put("triggered", AttributeValue.fromBool(true));
        }
        return item;
    }

    private Map<Map<String, AttributeValue>, Map<String, AttributeValue>> readAll(List<Map<String, AttributeValue>> keys) {
        return BatchGet.consistent(dynamo, table, keys);
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Names.of("#pk")).build()).build();
    }

    private boolean transact(TransactWriteItem put, ItemUpdate update) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(put, TransactWriteItem.builder().update(update.transactional()).build()));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    private boolean bestEffort(ItemUpdate update) {
        try {
            dynamo.updateItem(update.request());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static String truncate(String error) {
        return error.length() > 1000 ? error.substring(0, 1000) + "…" : error;
    }
}
