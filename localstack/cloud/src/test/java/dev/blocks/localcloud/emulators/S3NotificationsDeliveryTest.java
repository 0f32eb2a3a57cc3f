package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** S3 notifications as S3 delivers them, from real S3Proxy to real ElasticMQ: test event, creations, removals. */
class S3NotificationsDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "reports";

    private static S3Emulator s3Server;
    private static SqsEmulator sqsServer;
    private static S3Client s3;
    private static SqsClient sqs;
    private static String createdUrl;
    private static String removedUrl;
    private static List<JsonNode> testEvents;

    @BeforeAll
    static void start() throws Exception {
        s3Server = new S3Emulator();
        sqsServer = new SqsEmulator();
        s3Server.start();
        sqsServer.start();
        s3 = AwsClients.s3(s3Server);
        sqs = AwsClients.sqs(sqsServer);
        createdUrl = sqs.createQueue(r -> r.queueName("report-created")).queueUrl();
        removedUrl = sqs.createQueue(r -> r.queueName("report-removed")).queueUrl();
        s3.createBucket(r -> r.bucket(BUCKET));
        S3Notifications notifications = S3Notifications.configure(List.of(new BucketSpec(BUCKET, List.of(
                new NotificationSpec("report-created", List.of("s3:ObjectCreated:*"), "", ""),
                new NotificationSpec("report-created", List.of("s3:ObjectCreated:Copy"), "copies/", ""),
                new NotificationSpec("report-removed", List.of("s3:ObjectRemoved:*"), "", "")), List.of())), sqs,
                "us-east-1");
        s3Server.onObjectCreated(notifications);
        s3Server.onObjectRemoved(notifications::removed);
        testEvents = new ArrayList<>();
        for (String url : List.of(createdUrl, removedUrl)) {
            for (Message message : drain(url)) {
                testEvents.add(JSON.readTree(message.body()));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
            sqs.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
        if (sqsServer != null) {
            sqsServer.close();
        }
    }

    @Test
    void configuringTheNotificationsSendsEachQueueOneTestEvent() {
        // Two notifications feed report-created: S3 tests each destination once per configuration.
        assertThat(testEvents).hasSize(2);
        assertThat(testEvents).allSatisfy(event -> {
            assertThat(event.path("Event").asText()).isEqualTo("s3:TestEvent");
            assertThat(event.path("Bucket").asText()).isEqualTo(BUCKET);
            assertThat(event.path("Time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        });
    }

    @Test
    void deletingObjectsSendsObjectRemovedDeleteEventsAndDeletingNothingSendsNone() throws Exception {
        s3.putObject(r -> r.bucket(BUCKET).key("q1 report.csv"), RequestBody.fromString("q1"));
        s3.putObject(r -> r.bucket(BUCKET).key("q2.csv"), RequestBody.fromString("q2"));
        s3.putObject(r -> r.bucket(BUCKET).key("q3.csv"), RequestBody.fromString("q3"));

        s3.deleteObject(r -> r.bucket(BUCKET).key("q1 report.csv"));
        s3.deleteObject(r -> r.bucket(BUCKET).key("never-there.csv"));
        s3.deleteObjects(r -> r.bucket(BUCKET).delete(d -> d.objects(
                ObjectIdentifier.builder().key("q2.csv").build(), ObjectIdentifier.builder().key("q3.csv").build())));

        List<JsonNode> records = new ArrayList<>();
        for (Message message : drain(removedUrl)) {
            records.add(JSON.readTree(message.body()).path("Records").path(0));
        }
        assertThat(records).extracting(r -> r.path("s3").path("object").path("key").asText())
                .containsExactlyInAnyOrder("q1+report.csv", "q2.csv", "q3.csv");
        assertThat(records).allSatisfy(record -> {
            assertThat(record.path("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
            assertThat(record.path("s3").path("object").has("size")).isFalse();
            assertThat(record.path("s3").path("object").path("sequencer").asText()).matches("[0-9A-F]{16}");
        });
        assertThat(drain(createdUrl)).hasSize(3);
    }

    @Test
    void aMultipartUploadSendsOneCreatedEventAndNoRemovedOnes() throws Exception {
        String key = "big/part.bin";
        String uploadId = s3.createMultipartUpload(r -> r.bucket(BUCKET).key(key)).uploadId();
        String eTag = s3.uploadPart(r -> r.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("only part")).eTag();
        s3.completeMultipartUpload(r -> r.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(eTag).build())));

        List<Message> created = drain(createdUrl);
        assertThat(created).hasSize(1);
        assertThat(JSON.readTree(created.get(0).body()).path("Records").path(0).path("eventName").asText())
                .isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(drain(removedUrl)).isEmpty();
    }

    /** Everything the queue holds now (S3 delivers before it answers the request). */
    private static List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            if (batch.isEmpty()) {
                return all;
            }
            for (Message message : batch) {
                sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
                all.add(message);
            }
        }
    }
}
