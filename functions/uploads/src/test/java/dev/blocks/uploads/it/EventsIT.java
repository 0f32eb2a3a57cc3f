package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * uploads-events: what S3 holds decides, whatever the notification says and however often it comes.
 */
class EventsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;
    private static S3Client s3;
    private static DynamoDbClient dynamo;
    private static LambdaClient lambda;
    private static SqsClient sqs;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
        s3 = Cloud.s3(CLOUD);
        dynamo = api.dynamo();
        lambda = api.lambda();
        sqs = api.sqs();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        dynamo.close();
        lambda.close();
        sqs.close();
    }

    /**
     * The signed URL does not let a client send another size, but an object can reach the key by other paths (a
     * form POST, a completed multipart upload, a write with bucket credentials): the event still checks it.
     */
    @Test
    void anObjectOfAnotherSizeThanDeclaredFailsTheUploadAndIsDeleted() {
        JsonNode upload = api.start(alice, "filename", "declared.txt", "size", 100, "contentType", "text/plain");
        String key = upload.path("key").asText();
        String shorter = "fewer bytes than declared";
        s3.putObject(b -> b.bucket(Cloud.BUCKET).key(key).contentType("text/plain"), RequestBody.fromString(shorter));

        JsonNode failed = api.awaitStatus(alice, upload.path("uploadId").asText(), "FAILED");
        assertThat(failed.path("failure").asText()).contains("size is " + shorter.length() + " bytes, 100 were declared");
        // the object is nobody's file: it is removed
        assertThat(Api.pollUntil(java.time.Duration.ofSeconds(10), () -> exists(key), e -> !e)).isFalse();
        assertThat(api.get(alice, "/v1/files/" + upload.path("uploadId").asText()).statusCode()).isEqualTo(409);
    }

    @Test
    void anObjectOfAnotherTypeThanDeclaredFailsTheUpload() {
        JsonNode upload = api.start(alice, "filename", "picture.png", "size", 4, "contentType", "image/png");
        s3.putObject(b -> b.bucket(Cloud.BUCKET).key(upload.path("key").asText()).contentType("text/html"),
                RequestBody.fromString("<p/>"));
        JsonNode failed = api.awaitStatus(alice, upload.path("uploadId").asText(), "FAILED");
        assertThat(failed.path("failure").asText()).contains("content type is text/html");
    }

    /**
     * The same notification twice in one batch, then once more: one transition, counted by the record's version.
     * A message that is not an S3 event fails alone (partial batch response); unknown keys are skipped.
     */
    @Test
    void duplicateEventsMakeOneTransitionAndABadMessageFailsAlone() throws Exception {
        byte[] content = Api.bytes("duplicated " + UUID.randomUUID());
        JsonNode upload = api.start(alice, "filename", "dup.txt", "size", content.length, "contentType", "text/plain");
        String id = upload.path("uploadId").asText();
        String key = upload.path("key").asText();
        assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode()).isEqualTo(200);
        api.awaitStatus(alice, id, "COMPLETED");
        Map<String, AttributeValue> before = record(id);
        assertThat(before.get("version").n()).isEqualTo("2");

        String event = s3Event(key, content.length);
        ArrayNode records = Api.JSON.createArrayNode();
        records.add(sqsRecord("m-1", event));
        records.add(sqsRecord("m-2", event));
        records.add(sqsRecord("m-bad", "this is not JSON"));
        records.add(sqsRecord("m-stranger", s3Event("uploads/alice/2026/01/" + UUID.randomUUID(), 1)));
        records.add(sqsRecord("m-outside", s3Event("elsewhere/file.txt", 1)));
        JsonNode response = invokeEvents(Api.JSON.createObjectNode().set("Records", records));

        assertThat(response.path("batchItemFailures")).extracting(f -> f.path("itemIdentifier").asText()).containsExactly("m-bad");
        Map<String, AttributeValue> after = record(id);
        assertThat(after.get("version").n()).isEqualTo("2");
        assertThat(after.get("updatedAt")).isEqualTo(before.get("updatedAt"));
        assertThat(after.get("status").s()).isEqualTo("COMPLETED");
    }

    /** An event that comes before its object is readable, or after the object is gone, changes nothing. */
    @Test
    void anEventWithoutItsObjectChangesNothing() throws Exception {
        JsonNode upload = api.start(alice, "filename", "early.txt", "size", 5, "contentType", "text/plain");
        String id = upload.path("uploadId").asText();
        JsonNode response = invokeEvents(Api.JSON.createObjectNode().set("Records",
                Api.JSON.createArrayNode().add(sqsRecord("m-early", s3Event(upload.path("key").asText(), 5)))));
        assertThat(response.path("batchItemFailures")).isEmpty();
        assertThat(record(id).get("status").s()).isEqualTo("PENDING");
        assertThat(record(id).get("version").n()).isEqualTo("1");
    }

    /**
     * Two deliveries of one notification for an open upload, handled at the same moment by two instances of the
     * function (S3 may notify twice, SQS may deliver twice): both read PENDING, both find the object, both try the
     * conditional transition; one wins, the other reads the winner's result. Both report success, the upload is
     * COMPLETED by exactly one transition (version 2) and the object stays. Several rounds, so that the two do meet.
     */
    @Test
    void twoEventsRacingOnAnOpenUploadMakeOneTransition() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // two instances, so that the racing invocations run side by side rather than one after the other
            ObjectNode nothing = Api.JSON.createObjectNode().set("Records", Api.JSON.createArrayNode());
            for (int tries = 0; tries < 10 && CLOUD.functionProcessIds(Cloud.EVENTS_FUNCTION).size() < 2; tries++) {
                race(pool, nothing);
            }
            assertThat(CLOUD.functionProcessIds(Cloud.EVENTS_FUNCTION)).hasSizeGreaterThanOrEqualTo(2);
            for (int round = 0; round < 3; round++) {
                byte[] content = Api.bytes("raced " + round + " " + UUID.randomUUID());
                JsonNode upload = api.start(alice, "filename", "race.txt", "size", content.length, "contentType", "text/plain");
                String id = upload.path("uploadId").asText();
                String key = upload.path("key").asText();
                putWithoutNotification(upload, content);
                assertThat(record(id).get("status").s()).isEqualTo("PENDING");

                String event = s3Event(key, content.length);
                List<JsonNode> responses = race(pool,
                        Api.JSON.createObjectNode().set("Records", Api.JSON.createArrayNode().add(sqsRecord("r-" + round + "-a", event))),
                        Api.JSON.createObjectNode().set("Records", Api.JSON.createArrayNode().add(sqsRecord("r-" + round + "-b", event))));

                assertThat(responses).allMatch(r -> r.path("batchItemFailures").isEmpty());
                Map<String, AttributeValue> after = record(id);
                assertThat(after.get("status").s()).isEqualTo("COMPLETED");
                assertThat(after.get("version").n()).as("one transition").isEqualTo("2");
                assertThat(after.get("eTag")).isNotNull();
                assertThat(exists(key)).isTrue();
                assertThat(api.status(alice, id).path("status").asText()).isEqualTo("COMPLETED");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The object lands while the events queue holds new messages back 15 minutes: its notification comes too late. */
    private static void putWithoutNotification(JsonNode upload, byte[] content) {
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(Cloud.EVENTS_QUEUE)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "900")));
        try {
            assertThat(Api.sendSigned("PUT", upload.path("url").asText(), upload.path("headers"), content).statusCode())
                    .isEqualTo(200);
        } finally {
            sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "0")));
        }
    }

    /** Invokes the events function with each event at once (one thread each, released together). */
    private List<JsonNode> race(ExecutorService pool, ObjectNode... events) throws Exception {
        ObjectNode[] batch = events.length == 1 ? new ObjectNode[] {events[0], events[0]} : events;
        CyclicBarrier together = new CyclicBarrier(batch.length);
        List<Future<JsonNode>> calls = new ArrayList<>();
        for (ObjectNode event : batch) {
            calls.add(pool.submit(() -> {
                together.await(30, TimeUnit.SECONDS);
                return invokeEvents(event);
            }));
        }
        List<JsonNode> responses = new ArrayList<>();
        for (Future<JsonNode> call : calls) {
            responses.add(call.get(120, TimeUnit.SECONDS));
        }
        return responses;
    }

    private JsonNode invokeEvents(ObjectNode event) throws Exception {
        var response = lambda.invoke(b -> b.functionName(Cloud.EVENTS_FUNCTION).payload(SdkBytes.fromUtf8String(event.toString())));
        assertThat(response.functionError()).as(response.payload().asUtf8String()).isNull();
        return Api.json(response.payload().asUtf8String());
    }

    private static Map<String, AttributeValue> record(String id) {
        return dynamo.getItem(b -> b.tableName(Cloud.TABLE).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(Cloud.BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** An ObjectCreated:Put notification as S3 writes it (the key form-encoded). */
    private static String s3Event(String key, long size) {
        ObjectNode record = Api.JSON.createObjectNode();
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", "us-east-1")
                .put("eventTime", "2026-01-01T00:00:00.000Z").put("eventName", "ObjectCreated:Put");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0").put("configurationId", "replayed");
        s3.putObject("bucket").put("name", Cloud.BUCKET).put("arn", "arn:aws:s3:::" + Cloud.BUCKET);
        s3.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("size", size).put("sequencer", "0000000000000001");
        return Api.JSON.createObjectNode().set("Records", Api.JSON.createArrayNode().add(record)).toString();
    }

    private static ObjectNode sqsRecord(String messageId, String body) {
        ObjectNode record = Api.JSON.createObjectNode();
        record.put("messageId", messageId).put("receiptHandle", messageId).put("body", body)
                .put("eventSource", "aws:sqs").put("awsRegion", "us-east-1")
                .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + Cloud.EVENTS_QUEUE);
        record.putObject("attributes").put("ApproximateReceiveCount", "1");
        record.putObject("messageAttributes");
        return record;
    }
}
