package dev.blocks.scheduler.store;

import static dev.blocks.scheduler.store.JobItems.n;
import static dev.blocks.scheduler.store.JobItems.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.scheduler.domain.Job;
import dev.blocks.scheduler.domain.JobStatus;
import dev.blocks.scheduler.domain.NewestFirst;
import dev.blocks.scheduler.domain.OwnerShards;
import dev.blocks.scheduler.domain.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
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

    /** Index entries newest first: the creation key starts with the creation time in zero-padded milliseconds. */
    private static final Comparator<Map<String, AttributeValue>> NEWEST_FIRST =
            Comparator.comparing((Map<String, AttributeValue> e) -> e.get(JobItems.CREATED_KEY).s()).reversed();

    private final DynamoDbClient dynamo;
    private final String table;
    private final OwnerShards owners;

    public JobTable(DynamoDbClient dynamo, String table, OwnerShards owners) {
        this.dynamo = dynamo;
        this.table = table;
        this.owners = owners;
    }

    /**
     * Stores a new job unless its id is taken (a repeated idempotency key); {@code dispatchLease} non-null means
     * the caller enqueues the first run itself and the dispatcher must leave it alone until then.
     */
    public boolean create(Job job, String dueKey, Instant dispatchLease, String idempotencyKey) {
        Map<String, AttributeValue> item = JobItems.newJob(job, dueKey, idempotencyKey);
        item.put(JobItems.OWNER_SHARD, s(owners.keyOf(job.owner(), job.jobId())));
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

    /**
     * The owner's jobs, newest first, optionally only those in {@code status}: every partition of the owner's
     * ({@link OwnerShards}) is read from the cursor's position on and merged; the index holds keys and status only,
     * so the page's jobs are then read from the table (one BatchGetItem). The cursor is the creation key of the
     * page's last job, a position in the one order all partitions share, so it stays exact whatever partition the
     * next jobs come from.
     */
    public Page list(String owner, JobStatus status, String cursor, int limit) {
        String after = cursor == null ? null : decode(cursor, owner);
        List<OwnerPartition> partitions = new ArrayList<>();
        for (String key : owners.keys(owner)) {
            partitions.add(new OwnerPartition(key, status, after, limit + 1));
        }
        NewestFirst.Page<Map<String, AttributeValue>> page = NewestFirst.page(partitions, NEWEST_FIRST, limit);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> entry : page.items()) {
            keys.add(Map.of(JobItems.PK, entry.get(JobItems.PK), JobItems.SK, entry.get(JobItems.SK)));
        }
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = keys.isEmpty() ? Map.of() : BatchGet.consistent(dynamo, table, keys);
        List<Job> jobs = new ArrayList<>();
        for (Map<String, AttributeValue> key : keys) {
            Map<String, AttributeValue> item = items.get(key);
            // The index is eventually consistent: a job whose status changed since is left out of a filtered page.
            if (item != null && owner.equals(JobItems.str(item, JobItems.OWNER))
                    && (status == null || status.name().equals(JobItems.str(item, JobItems.STATUS)))) {
                jobs.add(JobItems.job(item));
            }
        }
        String next = page.more() ? encode(owner, page.items().get(page.items().size() - 1).get(JobItems.CREATED_KEY).s()) : null;
        return new Page(jobs, next);
    }

    /** One partition of an owner's jobs, read newest first from a position on, a query page at a time. */
    private final class OwnerPartition implements NewestFirst.Source<Map<String, AttributeValue>> {

        private final Deque<Map<String, AttributeValue>> read = new ArrayDeque<>();
        private final String keyCondition;
        private final String filter;
        private final Map<String, AttributeValue> values = new HashMap<>();
        private final int pageSize;
        private Map<String, AttributeValue> start;
        private boolean exhausted;

        OwnerPartition(String key, JobStatus status, String after, int pageSize) {
            this.pageSize = pageSize;
            values.put(":k", s(key));
            keyCondition = after == null ? "#ownerShard = :k" : "#ownerShard = :k AND #createdKey < :after";
            if (after != null) {
                values.put(":after", s(after));
            }
            filter = status == null ? null : "#status = :s";
            if (status != null) {
                values.put(":s", s(status.name()));
            }
        }

        @Override
        public Optional<Map<String, AttributeValue>> peek() {
            while (read.isEmpty() && !exhausted) {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(JobItems.OWNER_INDEX)
                        .keyConditionExpression(keyCondition).filterExpression(filter)
                        .expressionAttributeNames(Names.of(keyCondition, filter)).expressionAttributeValues(values)
                        .scanIndexForward(false).exclusiveStartKey(from).limit(pageSize));
                read.addAll(page.items());
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                exhausted = start == null;
            }
            return Optional.ofNullable(read.peek());
        }

        @Override
        public void advance() {
            read.poll();
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

    private static String encode(String owner, String createdKey) {
        ObjectNode node = JSON.createObjectNode().put(JobItems.OWNER, owner).put(JobItems.CREATED_KEY, createdKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The creation key a cursor continues after; cursors of the earlier, unsharded listing decode too. */
    private static String decode(String cursor, String owner) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            if (node == null || !node.path(JobItems.OWNER).isTextual() || !node.path(JobItems.CREATED_KEY).isTextual()) {
                throw new BadCursor();
            }
            // A cursor only continues the listing of the owner it was issued to.
            if (!owner.equals(node.get(JobItems.OWNER).asText())) {
                throw new BadCursor();
            }
            return node.get(JobItems.CREATED_KEY).asText();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadCursor();
        }
    }
}
