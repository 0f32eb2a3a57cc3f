package dev.blocks.scheduler.store;

import static dev.blocks.scheduler.store.JobItems.n;
import static dev.blocks.scheduler.store.JobItems.s;

import dev.blocks.scheduler.domain.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The dispatcher's view of the jobs table: the sparse {@code due} index, partitioned by bucket#shard, and the
 * claim that makes one dispatcher (or jobs-api) the only one to enqueue a run. A claim is a lease rather than a
 * removal: if the run never starts (the sender crashed after claiming), the lease runs out and a later tick
 * enqueues it again, so no run is lost; the worker's own run record makes the duplicate harmless.
 */
public final class DueIndex {


    private final DynamoDbClient dynamo;
    private final String table;

    public DueIndex(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Runs of one partition due before {@code before}, oldest first. */
    public List<DueEntry> due(String dueKey, Instant before) {
        List<DueEntry> entries = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(JobItems.DUE_INDEX)
                    .keyConditionExpression("#dueKey = :k AND #nextRunAt < :before")
                    .expressionAttributeNames(Names.of("#dueKey", "#nextRunAt"))
                    .expressionAttributeValues(Map.of(":k", s(dueKey), ":before", n(before)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                entries.add(new DueEntry(JobItems.str(item, "jobId"), JobItems.instant(item, JobItems.NEXT_RUN_AT),
                        JobItems.instant(item, JobItems.DISPATCH_LEASE)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entries;
    }

    /** Claims the run at {@code at} until {@code leaseUntil}; false when someone else holds it or it changed. */
    public boolean claim(String jobId, Instant at, Instant now, Instant leaseUntil) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(JobItems.key(jobId))
                    .updateExpression("SET #dispatchLease = :lease")
                    .conditionExpression("#nextRunAt = :at AND #status = :scheduled AND "
                            + "(attribute_not_exists(#dispatchLease) OR #dispatchLease < :now)")
                    .expressionAttributeNames(Names.of("#dispatchLease", "#nextRunAt", "#status"))
                    .expressionAttributeValues(Map.of(":lease", n(leaseUntil), ":at", n(at), ":now", n(now),
                            ":scheduled", s(JobStatus.SCHEDULED.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives a claim back at once (the send failed), so that the next tick retries without waiting for the lease. */
    public void release(String jobId, Instant leaseUntil) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(JobItems.key(jobId))
                    .updateExpression("REMOVE #dispatchLease")
                    .conditionExpression("#dispatchLease = :lease")
                    .expressionAttributeNames(Names.of("#dispatchLease"))
                    .expressionAttributeValues(Map.of(":lease", n(leaseUntil))));
        } catch (ConditionalCheckFailedException e) {
            // Already started or re-claimed: nothing to give back.
        }
    }

    /** One watermark per shard group, since each group's dispatcher scans at its own pace. */
    private static Map<String, AttributeValue> watermarkKey(String shards) {
        return Map.of(JobItems.PK, s("dispatcher"), JobItems.SK, s("watermark#" + shards));
    }

    /** Where the last completed scan ended: every bucket before it was read at least once. */
    public Optional<Instant> watermark(String shards) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(watermarkKey(shards))).item();
        return Optional.ofNullable(item == null ? null : JobItems.instant(item, "scannedUntil"));
    }

    /** Moves the watermark forward (never back, whichever dispatcher finishes last). */
    public void advanceWatermark(String shards, Instant to) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(watermarkKey(shards))
                    .updateExpression("SET #scannedUntil = :to")
                    .conditionExpression("attribute_not_exists(#scannedUntil) OR #scannedUntil < :to")
                    .expressionAttributeNames(Names.of("#scannedUntil"))
                    .expressionAttributeValues(Map.of(":to", n(to))));
        } catch (ConditionalCheckFailedException e) {
            // Another dispatcher got further.
        }
    }
}
