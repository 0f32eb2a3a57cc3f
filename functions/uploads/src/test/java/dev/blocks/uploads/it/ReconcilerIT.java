package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.uploads.domain.MediaType;
import dev.blocks.uploads.domain.ObjectKey;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.domain.UploadMethod;
import dev.blocks.uploads.domain.UploadStatus;
import dev.blocks.uploads.store.UploadItems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * uploads-reconciler, fired by its schedule (the test stack lets it look at every open upload and expire uploads
 * as soon as they expire): lost notifications are made good, abandoned uploads expire and leave no parts.
 */
class ReconcilerIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;
    private static S3Client s3;
    private static SqsClient sqs;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
        s3 = Cloud.s3(CLOUD);
        sqs = api.sqs();
        dynamo = api.dynamo();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        sqs.close();
        dynamo.close();
    }

    /**
     * The S3 event is held back (the events queue delays new messages by 15 minutes, longer than the test lives):
     * for the test it is lost, and only the reconciler can complete the upload.
     */
    @Test
    void anUploadWhoseNotificationIsLostIsCompletedByTheReconciler() {
        byte[] content = Api.bytes("lost notification " + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "lost.txt", "size", content.length, "contentType", "text/plain");
        String id = upload.path("uploadId").asText();
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(Cloud.EVENTS_QUEUE)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "900")));
        try {
            assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode()).isEqualTo(200);
        } finally {
            sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "0")));
        }
        assertThat(api.status(alice, id).path("status").asText()).isEqualTo("PENDING");

        CLOUD.fireSchedule(Cloud.RECONCILE_SCHEDULE);
        assertThat(api.awaitStatus(alice, id, "COMPLETED").path("size").asInt()).isEqualTo(content.length);
    }

    @Test
    void abandonedUploadsExpireAndTheirPartsAreAborted() {
        JsonNode single = api.start(alice, "filename", "never.txt", "size", 10, "contentType", "text/plain",
                "expiresInSeconds", 1);
        int size = 6 * (1 << 20);
        JsonNode multipart = api.start(alice, "filename", "half.bin", "size", size,
                "contentType", "application/octet-stream", "expiresInSeconds", 8);
        assertThat(multipart.path("method").asText()).isEqualTo("MULTIPART");
        byte[] part = new byte[5 << 20];
        new Random(7).nextBytes(part);
        JsonNode first = multipart.path("parts").get(0);
        assertThat(Api.sendSigned("PUT", first.path("url").asText(), first.path("headers"), part).statusCode()).isEqualTo(200);

        Api.waitUntilPast(Instant.parse(multipart.path("expiresAt").asText()));
        CLOUD.fireSchedule(Cloud.RECONCILE_SCHEDULE);

        JsonNode expired = api.awaitStatus(alice, single.path("uploadId").asText(), "EXPIRED");
        assertThat(expired.path("failure").asText()).startsWith("nothing was uploaded before");
        api.awaitStatus(alice, multipart.path("uploadId").asText(), "EXPIRED");
        List<Integer> left = new ArrayList<>();
        try {
            String url = first.path("url").asText();
            String s3UploadId = java.net.URLDecoder.decode(url.replaceAll(".*[?&]uploadId=([^&]*).*", "$1"),
                    java.nio.charset.StandardCharsets.UTF_8);
            s3.listParts(b -> b.bucket(Cloud.BUCKET).key(multipart.path("key").asText()).uploadId(s3UploadId))
                    .parts().forEach(p -> left.add(p.partNumber()));
        } catch (NoSuchUploadException gone) {
            // as S3 answers for an aborted upload
        }
        assertThat(left).isEmpty();
        // expired uploads take no more parts or completions
        assertThat(api.post(alice, "/v1/uploads/" + multipart.path("uploadId").asText() + "/parts", "{\"partNumbers\":[2]}")
                .statusCode()).isEqualTo(409);
    }

    /** The reconciler's batch in the test stack (functions/uploads/terraform): 25 uploads a shard. */
    private static final int BATCH = 200;
    private static final int PER_OTHER_SHARD = 50;
    private static final int CROWDED = 5000 - (UploadItems.OPEN_SHARDS - 1) * PER_OTHER_SHARD;
    /** The oldest uploads of shards 1..7 stay open (they expire tomorrow). */
    private static final int LIVE_PER_OTHER_SHARD = 15;

    /**
     * 5,000 open uploads, 4,650 of them in shard 0 of the open index, written straight into the table in the shape
     * the function writes, older than anything else in it. In shards 1..7 the 15 oldest stay open (they expire
     * tomorrow) and the 35 after them expired long ago; everything in shard 0 expired. One run (a batch of 200:
     * 25 a shard) must reach every shard, where it used to fill its batch from shard 0 alone. The next must go on
     * from where the first stopped rather than read the uploads that stay open again, so that every expired upload
     * of shards 1..7 is EXPIRED after two runs (from each shard's beginning, the second run would reach only 10 more).
     */
    @Test
    void oneRunReachesEveryShardAndTheNextGoesOnWhereItStopped() {
        String owner = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        Map<Integer, List<Upload>> shards = crowdedShards(owner, now.minus(Duration.ofDays(2)), now);
        List<Upload> all = shards.values().stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(5000);
        write(all.stream().map(u -> WriteRequest.builder().putRequest(PutRequest.builder().item(UploadItems.item(u)).build())
                .build()).toList());
        try {
            // a sweep left by the other tests' runs would start some shards past these (older) uploads
            dynamo.deleteItem(b -> b.tableName(Cloud.TABLE).key(Map.of("id", AttributeValue.fromS(UploadItems.SWEEP_ID))));

            long queries = CLOUD.dynamoDbRequests(Cloud.TABLE, "Query");
            CLOUD.fireSchedule(Cloud.RECONCILE_SCHEDULE);
            // one Query per shard: every shard held more than its share of the batch
            assertThat(CLOUD.dynamoDbRequests(Cloud.TABLE, "Query") - queries).isEqualTo(UploadItems.OPEN_SHARDS);
            Map<String, String> statuses = statuses(owner);
            int fair = BATCH / UploadItems.OPEN_SHARDS;
            assertThat(expiredOldestFirst(shards.get(0), statuses)).isBetween(fair, fair + 1);
            for (int shard = 1; shard < UploadItems.OPEN_SHARDS; shard++) {
                List<Upload> uploads = shards.get(shard);
                assertThat(uploads.subList(0, LIVE_PER_OTHER_SHARD)).allMatch(u -> statuses.get(u.id().toString()).equals("PENDING"));
                assertThat(expiredOldestFirst(uploads.subList(LIVE_PER_OTHER_SHARD, PER_OTHER_SHARD), statuses))
                        .as("shard %d", shard).isBetween(fair - LIVE_PER_OTHER_SHARD, fair + 1 - LIVE_PER_OTHER_SHARD);
            }
            // everything the run read was one of these: the batch is full, less the uploads that stay open
            assertThat(statuses.values().stream().filter("EXPIRED"::equals).count())
                    .isEqualTo(BATCH - (UploadItems.OPEN_SHARDS - 1) * LIVE_PER_OTHER_SHARD);
            int crowdedAfterOne = expiredOldestFirst(shards.get(0), statuses);

            CLOUD.fireSchedule(Cloud.RECONCILE_SCHEDULE);
            Map<String, String> after = statuses(owner);
            for (int shard = 1; shard < UploadItems.OPEN_SHARDS; shard++) {
                List<Upload> uploads = shards.get(shard);
                assertThat(uploads.subList(0, LIVE_PER_OTHER_SHARD)).allMatch(u -> after.get(u.id().toString()).equals("PENDING"));
                assertThat(uploads.subList(LIVE_PER_OTHER_SHARD, PER_OTHER_SHARD)).as("shard %d", shard)
                        .allMatch(u -> after.get(u.id().toString()).equals("EXPIRED"));
            }
            // what shards 1..7 no longer needed went to the crowded shard, still oldest first
            assertThat(expiredOldestFirst(shards.get(0), after)).isGreaterThanOrEqualTo(crowdedAfterOne + fair);
        } finally {
            write(all.stream().map(u -> WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Map.of("id", AttributeValue.fromS(u.id().toString()))).build()).build()).toList());
        }
    }

    /** Random upload ids sorted by the shard they fall in; within a shard, created one millisecond apart. */
    private static Map<Integer, List<Upload>> crowdedShards(String owner, Instant oldest, Instant now) {
        Map<Integer, List<Upload>> shards = new HashMap<>();
        int made = 0;
        while (made < 5000) {
            UUID id = UUID.randomUUID();
            int shard = UploadItems.shard(id);
            List<Upload> uploads = shards.computeIfAbsent(shard, s -> new ArrayList<>());
            int position = uploads.size();
            if (position >= (shard == 0 ? CROWDED : PER_OTHER_SHARD)) {
                continue;
            }
            Instant createdAt = oldest.plusMillis(shard * 10_000L + position);
            boolean live = shard != 0 && position < LIVE_PER_OTHER_SHARD;
            Instant expiresAt = live ? now.plus(Duration.ofDays(1)) : createdAt.plus(Duration.ofMinutes(15));
            uploads.add(new Upload(id, owner, ObjectKey.of("uploads/", owner, createdAt, id), "f.txt",
                    MediaType.parse("text/plain").orElseThrow(), "default", 10, Optional.empty(), UploadMethod.PUT,
                    Optional.empty(), 0, UploadStatus.PENDING, 1, createdAt, expiresAt, createdAt, Optional.empty(),
                    Optional.empty(), false, Optional.empty()));
            made++;
        }
        return shards;
    }

    /** How many of {@code uploads} (oldest first) are EXPIRED, asserting that they are the oldest ones. */
    private static int expiredOldestFirst(List<Upload> uploads, Map<String, String> statuses) {
        int expired = 0;
        while (expired < uploads.size() && statuses.get(uploads.get(expired).id().toString()).equals("EXPIRED")) {
            expired++;
        }
        assertThat(uploads.subList(expired, uploads.size()))
                .allMatch(u -> statuses.get(u.id().toString()).equals("PENDING"));
        return expired;
    }

    private static Map<String, String> statuses(String owner) {
        Map<String, String> statuses = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(Cloud.TABLE).consistentRead(true)
                    .filterExpression("#owner = :owner")
                    .projectionExpression("id, #status")
                    .expressionAttributeNames(Map.of("#owner", "owner", "#status", "status"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner)))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> statuses.put(item.get("id").s(), item.get("status").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return statuses;
    }

    private static void write(List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += 25) {
            List<WriteRequest> left = requests.subList(from, Math.min(requests.size(), from + 25));
            Instant deadline = Instant.now().plusSeconds(30);
            while (!left.isEmpty()) {
                assertThat(Instant.now()).as("BatchWriteItem still has unprocessed items").isBefore(deadline);
                List<WriteRequest> batch = left;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(Cloud.TABLE, batch)));
                left = response.unprocessedItems().getOrDefault(Cloud.TABLE, List.of());
            }
        }
    }
}
