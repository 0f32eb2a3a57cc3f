package dev.blocks.uploads.store;

import dev.blocks.uploads.UploadsConfig;
import dev.blocks.uploads.domain.MediaType;
import dev.blocks.uploads.domain.RoundRobinBatch;
import dev.blocks.uploads.domain.Sha256;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadMethod;
import dev.blocks.uploads.domain.UploadStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Uploads in DynamoDB, one item per upload keyed by {@code id}. Every status change is a conditional update whose
 * condition is the status machine ({@link UploadStatus#predecessors()}), so two writers (an event and the
 * reconciler, two copies of one event) can never both move an upload.
 *
 * <p>Two sparse indexes: {@value #OPEN_INDEX} holds only open uploads ({@code openShard}, spread over
 * {@value #OPEN_SHARDS} partitions so that no partition runs hot; range {@code createdAt}) for the reconciler;
 * {@value #DEDUP_INDEX} holds only completed files whose SHA-256 S3 confirmed ({@code dedupKey} = owner and
 * digest), so dedup can never match an unverified claim or another owner's file. One more item, {@value #SWEEP_ID},
 * holds where the reconciler's sweep of the open index stands; it carries neither index key.
 */
@ApplicationScoped
public class UploadTable {

    public static final String OPEN_INDEX = "open";
    public static final String DEDUP_INDEX = "dedup";
    static final int OPEN_SHARDS = 8;
    /** The id of the item holding the reconciler's sweep position; no upload id (a UUID) can be it. */
    static final String SWEEP_ID = "reconciler-sweep";

    /** A status change lost the race: the upload as the winner left it. */
    public static final class Conflict extends RuntimeException {
        private final transient Upload current;

        Conflict(Upload current) {
            super("upload " + current.id() + " is " + current.status(), null, false, false);
            this.current = current;
        }

        public Upload current() {
            return current;
        }
    }

    /** What a status change writes besides the status. */
    public record Outcome(Optional<String> eTag, boolean sha256Verified, Optional<String> failure) {

        public static Outcome none() {
            return new Outcome(Optional.empty(), false, Optional.empty());
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    UploadTable(DynamoDbClient dynamo, UploadsConfig config) {
        this.dynamo = dynamo;
        this.table = config.table();
        this.retention = config.recordRetention();
    }

    /** Stores a new upload; ids are random UUIDs, so a collision is a bug and fails loudly. */
    public void create(Upload upload) {
        dynamo.putItem(b -> b.tableName(table).item(item(upload)).conditionExpression("attribute_not_exists(id)"));
    }

    public Optional<Upload> find(UUID id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(key(id))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(upload(item));
    }

    /**
     * Moves {@code upload} to {@code to} if its stored status allows it (whatever status the given copy shows).
     *
     * @throws Conflict when the stored upload is in a status that cannot become {@code to} (carrying it)
     */
    public Upload transition(Upload upload, UploadStatus to, Instant now, Outcome outcome) {
        UUID id = upload.id();
        Update update = new Update();
        update.set("status", AttributeValue.fromS(to.name()));
        update.increment("version");
        update.set("updatedAt", millis(now));
        if (to == UploadStatus.COMPLETED) {
            update.set("completedAt", millis(now));
            outcome.eTag().ifPresent(tag -> update.set("eTag", AttributeValue.fromS(tag)));
            update.set("sha256Verified", AttributeValue.fromBool(outcome.sha256Verified()));
            if (outcome.sha256Verified() && upload.sha256().isPresent()) {
                // Only a digest S3 confirmed may answer dedup requests: the index key is set here and nowhere else.
                // Owner and digest never change, so the caller's copy of them is the stored one.
                update.set("dedupKey", AttributeValue.fromS(dedupKey(upload.owner(), upload.sha256().get())));
            }
        } else if (!to.open()) {
            update.set("purgeAt", AttributeValue.fromN(Long.toString(now.plus(retention).getEpochSecond())));
        }
        outcome.failure().ifPresent(reason -> update.set("failure", AttributeValue.fromS(reason)));
        if (!to.open()) {
            update.remove("openShard");
        }
        String condition = "attribute_exists(" + update.name("id") + ") AND " + update.name("status") + " IN ("
                + String.join(", ", to.predecessors().stream().map(from -> update.value(AttributeValue.fromS(from.name()))).toList())
                + ")";
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression(update.expression())
                    .conditionExpression(condition)
                    .expressionAttributeNames(update.names)
                    .expressionAttributeValues(update.values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return upload(after);
        } catch (ConditionalCheckFailedException e) {
            if (e.item() == null || e.item().isEmpty()) {
                throw new IllegalStateException("upload " + id + " does not exist", e);
            }
            throw new Conflict(upload(e.item()));
        }
    }

    /** An update expression whose attribute names all go through placeholders: status, size, key, owner are reserved. */
    private static final class Update {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();
        private final List<String> sets = new ArrayList<>();
        private final List<String> removes = new ArrayList<>();

        String name(String attribute) {
            names.put("#" + attribute, attribute);
            return "#" + attribute;
        }

        String value(AttributeValue value) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, value);
            return placeholder;
        }

        void set(String attribute, AttributeValue value) {
            sets.add(name(attribute) + " = " + value(value));
        }

        void increment(String attribute) {
            sets.add(name(attribute) + " = " + name(attribute) + " + " + value(AttributeValue.fromN("1")));
        }

        void remove(String attribute) {
            removes.add(name(attribute));
        }

        String expression() {
            return "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        }
    }

    /** The owner's completed file with this (S3-verified) SHA-256, if any. */
    public Optional<Upload> completedWithSha256(String owner, Sha256 sha256) {
        QueryResponse response = dynamo.query(b -> b.tableName(table).indexName(DEDUP_INDEX)
                .keyConditionExpression("dedupKey = :k")
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(dedupKey(owner, sha256))))
                .limit(1));
        return response.items().stream().map(UploadTable::upload)
                .filter(u -> u.status() == UploadStatus.COMPLETED && u.owner().equals(owner))
                .findFirst();
    }

    /**
     * Where one shard's sweep stands: the last open upload it read, as the open index orders it (an exclusive start
     * key of that index). The upload may have left the index since; the position still is one.
     */
    public record OpenPosition(long createdAt, String id) {}

    /**
     * The reconciler's next batch of open uploads created before {@code cutoff}: at most {@code limit}, taken round
     * robin over the shards of the open index ({@link RoundRobinBatch}), each shard from where the previous batch
     * left it. Where the sweep stands is kept in one item of this table ({@value #SWEEP_ID}) and written before the
     * batch is handed out, so a run that dies midway cannot hold the sweep on the same uploads for ever (they come
     * round again in the next pass). Two runs at once read the same position and look at the same uploads, which
     * the conditional transitions make harmless; the later write of the position wins.
     *
     * <p>Round trips: 1 GetItem + the batch's Queries ({@link RoundRobinBatch.Batch#reads()}) + 1 UpdateItem.
     */
    public RoundRobinBatch.Batch<OpenPosition, Upload> nextOpenBatch(Instant cutoff, int limit) {
        Map<String, AttributeValue> stored = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(SWEEP_ID)))).item();
        RoundRobinBatch.Batch<OpenPosition, Upload> batch = RoundRobinBatch.take(sweep(stored), limit,
                (shard, after, n) -> openPage(shard, after, cutoff, n));
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(SWEEP_ID)))
                .updateExpression("SET #first = :first, #positions = :positions")
                .expressionAttributeNames(Map.of("#first", "first", "#positions", "positions"))
                .expressionAttributeValues(sweepValues(batch.cursor())));
        return batch;
    }

    private RoundRobinBatch.Page<OpenPosition, Upload> openPage(int shard, Optional<OpenPosition> after, Instant cutoff,
            int limit) {
        String name = shardName(shard);
        // DynamoDB refuses a start key outside the key condition; one at or past the cutoff (the cutoff moved back:
        // a longer reconcile-after, a clock set back) means starting the shard over
        Map<String, AttributeValue> start = after.filter(p -> p.createdAt() < cutoff.toEpochMilli())
                .map(p -> Map.of("openShard", AttributeValue.fromS(name), "createdAt", AttributeValue.fromN(Long.toString(p.createdAt())),
                        "id", AttributeValue.fromS(p.id())))
                .orElse(null);
        QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(OPEN_INDEX)
                .keyConditionExpression("openShard = :s AND createdAt < :cutoff")
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(name), ":cutoff", millis(cutoff)))
                .exclusiveStartKey(start)
                .limit(limit));
        Optional<OpenPosition> next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? Optional.of(position(page.lastEvaluatedKey()))
                : Optional.empty();
        return new RoundRobinBatch.Page<>(page.items().stream().map(UploadTable::upload).toList(), next);
    }

    private static OpenPosition position(Map<String, AttributeValue> key) {
        return new OpenPosition(Long.parseLong(key.get("createdAt").n()), key.get("id").s());
    }

    /** The stored sweep; a missing or unreadable one, or one of another shard count, starts every shard over. */
    static RoundRobinBatch.Cursor<OpenPosition> sweep(Map<String, AttributeValue> item) {
        RoundRobinBatch.Cursor<OpenPosition> start = RoundRobinBatch.Cursor.start(OPEN_SHARDS);
        if (item == null || item.get("first") == null || item.get("positions") == null || !item.get("positions").hasM()) {
            return start;
        }
        try {
            int first = Math.floorMod(Integer.parseInt(item.get("first").n()), OPEN_SHARDS);
            Map<String, AttributeValue> stored = item.get("positions").m();
            List<Optional<OpenPosition>> positions = new ArrayList<>();
            for (int shard = 0; shard < OPEN_SHARDS; shard++) {
                positions.add(Optional.ofNullable(stored.get(Integer.toString(shard))).map(v -> position(v.m())));
            }
            return new RoundRobinBatch.Cursor<>(first, positions);
        } catch (RuntimeException unreadable) {
            // a sweep position is only a place to go on from: starting over loses nothing
            return start;
        }
    }

    static Map<String, AttributeValue> sweepValues(RoundRobinBatch.Cursor<OpenPosition> cursor) {
        Map<String, AttributeValue> positions = new HashMap<>();
        for (int shard = 0; shard < cursor.shards(); shard++) {
            int s = shard;
            cursor.positions().get(shard).ifPresent(p -> positions.put(Integer.toString(s), AttributeValue.fromM(Map.of(
                    "createdAt", AttributeValue.fromN(Long.toString(p.createdAt())), "id", AttributeValue.fromS(p.id())))));
        }
        return Map.of(":first", AttributeValue.fromN(Integer.toString(cursor.first())),
                ":positions", AttributeValue.fromM(positions));
    }

    static String shardName(int shard) {
        return "open#" + shard;
    }

    static String shardOf(UUID id) {
        return shardName(Math.floorMod(id.hashCode(), OPEN_SHARDS));
    }

    static String dedupKey(String owner, Sha256 sha256) {
        // the digest has a fixed length at the end, so no owner can forge another owner's key
        return owner + "#" + sha256.hex();
    }

    private static Map<String, AttributeValue> key(UUID id) {
        return Map.of("id", AttributeValue.fromS(id.toString()));
    }

    private static AttributeValue millis(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.toEpochMilli()));
    }

    static Map<String, AttributeValue> item(Upload u) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(u.id().toString()));
        item.put("owner", AttributeValue.fromS(u.owner()));
        item.put("key", AttributeValue.fromS(u.key()));
        item.put("filename", AttributeValue.fromS(u.filename()));
        item.put("contentType", AttributeValue.fromS(u.contentType().toString()));
        item.put("purpose", AttributeValue.fromS(u.purpose()));
        item.put("size", AttributeValue.fromN(Long.toString(u.size())));
        u.sha256().ifPresent(s -> item.put("sha256", AttributeValue.fromS(s.hex())));
        item.put("method", AttributeValue.fromS(u.method().name()));
        u.multipartUploadId().ifPresent(m -> item.put("multipartUploadId", AttributeValue.fromS(m)));
        item.put("partSize", AttributeValue.fromN(Long.toString(u.partSize())));
        item.put("status", AttributeValue.fromS(u.status().name()));
        item.put("version", AttributeValue.fromN(Long.toString(u.version())));
        item.put("createdAt", millis(u.createdAt()));
        item.put("expiresAt", millis(u.expiresAt()));
        item.put("updatedAt", millis(u.updatedAt()));
        u.completedAt().ifPresent(t -> item.put("completedAt", millis(t)));
        u.eTag().ifPresent(t -> item.put("eTag", AttributeValue.fromS(t)));
        item.put("sha256Verified", AttributeValue.fromBool(u.sha256Verified()));
        u.failure().ifPresent(f -> item.put("failure", AttributeValue.fromS(f)));
        if (u.status().open()) {
            item.put("openShard", AttributeValue.fromS(shardOf(u.id())));
        }
        return item;
    }

    static Upload upload(Map<String, AttributeValue> item) {
        return new Upload(
                UUID.fromString(item.get("id").s()),
                item.get("owner").s(),
                item.get("key").s(),
                item.get("filename").s(),
                MediaType.parse(item.get("contentType").s())
                        .orElseThrow(() -> new IllegalStateException("stored content type is not a media type")),
                item.get("purpose").s(),
                Long.parseLong(item.get("size").n()),
                text(item, "sha256").map(Sha256::new),
                UploadMethod.valueOf(item.get("method").s()),
                text(item, "multipartUploadId"),
                Long.parseLong(item.get("partSize").n()),
                UploadStatus.valueOf(item.get("status").s()),
                Long.parseLong(item.get("version").n()),
                instant(item, "createdAt").orElseThrow(),
                instant(item, "expiresAt").orElseThrow(),
                instant(item, "updatedAt").orElseThrow(),
                instant(item, "completedAt"),
                text(item, "eTag"),
                Optional.ofNullable(item.get("sha256Verified")).map(AttributeValue::bool).orElse(false),
                text(item, "failure"));
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(v -> Instant.ofEpochMilli(Long.parseLong(v.n())));
    }
}
