package dev.blocks.scheduler.store;

import static dev.blocks.scheduler.store.JobItems.n;
import static dev.blocks.scheduler.store.JobItems.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Jobs as the API sees them: create, read with runs, list by owner, and the pause/resume/cancel transitions. */
public final class JobTable {

    /** A job and its latest runs, newest first. */
    public record JobView(Job job, List<Run> runs) {}

    /** One page of a listing; {@code cursor} is null on the last page. */
    public record Page(List<Job> jobs, String cursor) {}

    /** A cursor that does not decode to a position of this owner's listing. */
    public static final class BadCursor extends RuntimeException {
        BadCursor() {
            super("the cursor is not valid", null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamo;
    private final String table;

    public JobTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Stores a new job unless its id is taken (a repeated idempotency key); {@code dispatchLease} non-null means
     * the caller enqueues the first run itself and the dispatcher must leave it alone until then.
     */
    public boolean create(Job job, String dueKey, Instant dispatchLease, String idempotencyKey) {
        Map<String, AttributeValue> item = JobItems.newJob(job, dueKey, idempotencyKey);
        if (dispatchLease != null) {
            item.put(JobItems.DISPATCH_LEASE, n(dispatchLease));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Names.of("#pk")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Job> find(String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(JobItems.key(jobId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(JobItems.job(item));
    }

    /** The job and up to {@code runs} of its latest runs, in one Query. */
    public Optional<JobView> view(String jobId, int runs) {
        QueryResponse response = dynamo.query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Names.of("#pk"))
                .expressionAttributeValues(Map.of(":pk", s(JobItems.pk(jobId))))
                .scanIndexForward(false)
                .limit(runs + 1));
        Job job = null;
        List<Run> list = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            if (JobItems.JOB_SK.equals(item.get(JobItems.SK).s())) {
                job = JobItems.job(item);
            } else {
                list.add(JobItems.run(item));
            }
        }
        return job == null ? Optional.empty() : Optional.of(new JobView(job, list));
    }

    /** The owner's jobs, newest first, optionally only those in {@code status}. */
    public Page list(String owner, JobStatus status, String cursor, int limit) {
        Map<String, AttributeValue> from = cursor == null ? null : decode(cursor, owner);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":o", s(owner)));
        if (status != null) {
            values.put(":s", s(status.name()));
        }
        String filter = status == null ? null : "#status = :s";
        List<Job> jobs = new ArrayList<>();
        while (true) {
            Map<String, AttributeValue> start = from;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(JobItems.OWNER_INDEX)
                    .keyConditionExpression("#owner = :o")
                    .filterExpression(filter)
                    .expressionAttributeNames(Names.of("#owner", filter))
                    .expressionAttributeValues(values)
                    .scanIndexForward(false)
                    .exclusiveStartKey(start)
                    .limit(Math.max(limit, 25)));
            boolean morePages = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            List<Map<String, AttributeValue>> items = page.items();
            for (int i = 0; i < items.size(); i++) {
                jobs.add(JobItems.job(items.get(i)));
                if (jobs.size() == limit) {
                    boolean more = i < items.size() - 1 || morePages;
                    return new Page(jobs, more ? encode(indexKey(items.get(i))) : null);
                }
            }
            if (!morePages) {
                return new Page(jobs, null);
            }
            from = page.lastEvaluatedKey();
        }
    }

    public boolean pause(String jobId) {
        return update(jobId, "SET #status = :paused REMOVE #dueKey, #dispatchLease", "#status = :scheduled",
                Map.of(":paused", s(JobStatus.PAUSED.name()), ":scheduled", s(JobStatus.SCHEDULED.name())));
    }

    /** Back to SCHEDULED with its next run; {@code dispatchLease} as for {@link #create}. */
    public boolean resume(String jobId, Instant nextRunAt, String dueKey, Instant dispatchLease) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":scheduled", s(JobStatus.SCHEDULED.name()),
                ":paused", s(JobStatus.PAUSED.name()), ":next", n(nextRunAt), ":key", s(dueKey)));
        String set = "SET #status = :scheduled, #nextRunAt = :next, #dueKey = :key";
        if (dispatchLease != null) {
            set += ", #dispatchLease = :lease";
            values.put(":lease", n(dispatchLease));
        }
        return update(jobId, set, "#status = :paused", values);
    }

    /** A paused job whose only run is too old to fire any more. */
    public boolean resumeAsMissed(String jobId) {
        return update(jobId, "SET #status = :missed REMOVE #nextRunAt, #dueKey, #dispatchLease", "#status = :paused",
                Map.of(":missed", s(JobStatus.MISSED.name()), ":paused", s(JobStatus.PAUSED.name())));
    }

    public boolean cancel(String jobId) {
        return update(jobId, "SET #status = :cancelled REMOVE #nextRunAt, #dueKey, #dispatchLease, #bufferedRun",
                "#status IN (:scheduled, :running, :paused)",
                Map.of(":cancelled", s(JobStatus.CANCELLED.name()), ":scheduled", s(JobStatus.SCHEDULED.name()),
                        ":running", s(JobStatus.RUNNING.name()), ":paused", s(JobStatus.PAUSED.name())));
    }

    private boolean update(String jobId, String update, String condition, Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(JobItems.key(jobId)).updateExpression(update)
                    .conditionExpression(condition).expressionAttributeNames(Names.of(update, condition))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> indexKey(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : List.of(JobItems.PK, JobItems.SK, JobItems.OWNER, JobItems.CREATED_KEY)) {
            key.put(name, item.get(name));
        }
        return key;
    }

    private static String encode(Map<String, AttributeValue> key) {
        ObjectNode node = JSON.createObjectNode();
        key.forEach((name, value) -> node.put(name, value.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decode(String cursor, String owner) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            Map<String, AttributeValue> key = new HashMap<>();
            for (String name : List.of(JobItems.PK, JobItems.SK, JobItems.OWNER, JobItems.CREATED_KEY)) {
                if (!node.path(name).isTextual()) {
                    throw new BadCursor();
                }
                key.put(name, s(node.get(name).asText()));
            }
            // A cursor only continues the listing of the owner it was issued to.
            if (!owner.equals(key.get(JobItems.OWNER).s())) {
                throw new BadCursor();
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new BadCursor();
        }
    }
}
