package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
        s3 = Cloud.s3(CLOUD);
        sqs = Cloud.sqs(CLOUD);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        sqs.close();
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
}
