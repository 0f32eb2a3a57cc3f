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
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Run records and the job changes that go with them. The run item ({@code R#<scheduledAt>}) is the idempotency
 * record of a run: it is created once (a conditional put), an attempt is taken by one worker at a time (its lease),
 * and once it has an outcome every later delivery of the same run is dropped. A run leaving the due index and the
 * job's advance to its next run happen in one transaction, so a run is never both started and still pending.
 */
public final class RunLedger {

    /** A job and one of its runs as read together; either may be null. */
    public record Snapshot(Job job, Run run) {}

    /** The job's next run once this one leaves the due index; {@code next} null: there is none. */
    public record Advance(Instant next, String nextDueKey, Instant nextLease) {

        public static final Advance NONE = new Advance(null, null, null);
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public RunLedger(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /** The job and its run at {@code at}, in one strongly consistent round trip. */
    public Snapshot read(String jobId, Instant at) {
        var response = dynamo.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder()
                .consistentRead(true).keys(JobItems.key(jobId), JobItems.runKey(jobId, at)).build())));
        Job job = null;
        Run run = null;
        for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
            if (JobItems.JOB_SK.equals(item.get(JobItems.SK).s())) {
                job = JobItems.job(item);
            } else {
                run = JobItems.run(item);
            }
        }
        return new Snapshot(job, run);
    }

    /** Starts the first attempt of a run; false when another delivery got there first or the job moved on. */
    public boolean start(Job job, Instant at, boolean triggered, Advance advance, Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> run = runItem(job.jobId(), at, triggered, RunOutcome.RUNNING, now);
        run.put("attempt", AttributeValue.fromN("1"));
        run.put("startedAt", n(now));
        run.put("leaseUntil", n(leaseUntil));
        run.put("attempts", AttributeValue.fromL(List.of(JobItems.attemptValue(new Attempt(1, now, null, null)))));
        Run summary = new Run(job.jobId(), at, triggered, RunOutcome.RUNNING, 1, now, null, null, leaseUntil, List.of());
        ItemUpdate jobUpdate = leaving(job, at, triggered, advance, summary,
                job.schedule().recurring() ? null : JobStatus.RUNNING);
        if (job.schedule().recurring()) {
            jobUpdate.set("#activeRun = :at").set("#activeUntil = :activeUntil").value(":at", n(at))
                    .value(":activeUntil", n(leaseUntil));
        }
        return transact(put(run), jobUpdate);
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
            attempts.add(JobItems.attemptValue(lost
                    ? new Attempt(previous.attempt(), previous.startedAt(), null, "the worker stopped during the attempt (its lease ran out)")
                    : previous));
        }
        attempts.add(JobItems.attemptValue(new Attempt(attempt, now, null, null)));
        ItemUpdate update = new ItemUpdate(table, JobItems.runKey(run.jobId(), run.scheduledAt()))
                .set("#attempt = :attempt").set("#outcome = :running").set("#leaseUntil = :lease")
                .set("#attempts = :attempts").set("#startedAt = if_not_exists(#startedAt, :now)")
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
    public boolean retrying(Job job, Instant at, int attempt, String error, Instant now) {
        ItemUpdate update = attemptEnded(job.jobId(), at, attempt, RunOutcome.RETRYING, error, now);
        try {
            dynamo.updateItem(update.request());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The run ended: SUCCEEDED, FAILED (attempts exhausted) or CANCELLED (the job was cancelled meanwhile). */
    public boolean finish(Job job, Instant at, boolean triggered, int attempt, RunOutcome outcome, String error,
                          Instant startedAt, Instant now) {
        ItemUpdate run = attemptEnded(job.jobId(), at, attempt, outcome, error, now)
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

    private ItemUpdate attemptEnded(String jobId, Instant at, int attempt, RunOutcome outcome, String error, Instant now) {
        int index = attempt - 1;
        ItemUpdate update = new ItemUpdate(table, JobItems.runKey(jobId, at))
                .set("#outcome = :outcome").remove("#leaseUntil")
                .set("#attempts[" + index + "].#finishedAt = :now")
                .value(":outcome", s(outcome.name())).value(":now", n(now))
                .value(":attempt", AttributeValue.fromN(Integer.toString(attempt)))
                .value(":running", s(RunOutcome.RUNNING.name()))
                .when("#attempt = :attempt AND #outcome = :running");
        if (error != null) {
            update.set("#error = :error").set("#attempts[" + index + "].#error = :error").value(":error", s(truncate(error)));
        }
        return update;
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
