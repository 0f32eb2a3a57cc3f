package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.spec.BucketSpec;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

@ExtendWith(SharedEmulators.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3EmulatorTest {

    private static final int MIB = 1024 * 1024;

    private final List<ObjectCreated> created = new CopyOnWriteArrayList<>();
    private S3Emulator emulator;
    private S3Client s3;
    private S3Presigner presigner;
    private String bucket;

    @BeforeAll
    void connect(Emulators emulators) {
        emulator = emulators.s3();
        s3 = AwsClients.s3(emulator);
        presigner = AwsClients.presigner(emulator);
        emulator.onObjectCreated(created::add);
    }

    @AfterAll
    void disconnect() {
        if (s3 != null) {
            s3.close();
            presigner.close();
        }
    }

    @BeforeEach
    void createBucket() {
        bucket = "bucket-" + UUID.randomUUID();
        s3.createBucket(request -> request.bucket(bucket));
    }

    @Test
    void presignedPutIsAcceptedAsSignedAndRefusedWhenAnythingSignedChanges() throws Exception {
        PresignedPutObjectRequest presigned = presignPut("uploads/photo.txt", "text/plain", Duration.ofMinutes(5));
        URI url = presigned.url().toURI();

        assertThat(put(url, "text/plain", "hello").statusCode()).isEqualTo(200);
        assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("uploads/photo.txt")).asUtf8String())
                .isEqualTo("hello");

        URI otherPath = URI.create(url.toString().replace("uploads/photo.txt", "uploads/other.txt"));
        assertThat(put(otherPath, "text/plain", "hello").statusCode()).isEqualTo(403);

        assertThat(put(withTamperedSignature(url), "text/plain", "hello").statusCode()).isEqualTo(403);

        assertThat(put(url, "application/octet-stream", "hello").statusCode()).isEqualTo(403);
    }

    @Test
    void expiredPresignedPutIsRefused() throws Exception {
        PresignedPutObjectRequest presigned = presignPut("late.txt", "text/plain", Duration.ofSeconds(1));
        // Signatures carry whole seconds: wait until the clock is a full second past the expiry.
        Instant past = presigned.expiration().plusSeconds(1);
        while (Instant.now().isBefore(past)) {
            Thread.sleep(Math.max(1, Duration.between(Instant.now(), past).toMillis()));
        }

        HttpResponse<String> response = put(presigned.url().toURI(), "text/plain", "too late");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("expired");
    }

    @Test
    void multipartUploadThroughPresignedPartUrls() throws Exception {
        String key = "big/archive.bin";
        String uploadId = s3.createMultipartUpload(request -> request.bucket(bucket).key(key)).uploadId();
        int[] sizes = {5 * MIB, 5 * MIB, 1024};
        List<CompletedPart> parts = new ArrayList<>();
        for (int number = 1; number <= sizes.length; number++) {
            int partNumber = number;
            URI url = presigner.presignUploadPart(presign -> presign
                    .signatureDuration(Duration.ofMinutes(5))
                    .uploadPartRequest(part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)))
                    .url().toURI();
            HttpResponse<String> response = client().send(HttpRequest.newBuilder(url)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[sizes[number - 1]]))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            String eTag = response.headers().firstValue("ETag").orElseThrow();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        }

        List<Part> listed = s3.listParts(request -> request.bucket(bucket).key(key).uploadId(uploadId)).parts();
        assertThat(listed).extracting(Part::partNumber).containsExactly(1, 2, 3);
        assertThat(listed).extracting(Part::size).containsExactly((long) 5 * MIB, (long) 5 * MIB, 1024L);

        s3.completeMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts)));
        assertThat(s3.headObject(request -> request.bucket(bucket).key(key)).contentLength())
                .isEqualTo(10L * MIB + 1024);

        String abortedId = s3.createMultipartUpload(request -> request.bucket(bucket).key("abandoned.bin")).uploadId();
        s3.uploadPart(request -> request.bucket(bucket).key("abandoned.bin").uploadId(abortedId).partNumber(1),
                RequestBody.fromBytes(new byte[1024]));
        s3.abortMultipartUpload(request -> request.bucket(bucket).key("abandoned.bin").uploadId(abortedId));
        assertThat(s3.listMultipartUploads(request -> request.bucket(bucket)).uploads()).isEmpty();
        assertThat(s3.listObjectsV2(request -> request.bucket(bucket)).contents())
                .extracting(object -> object.key()).containsExactly(key);
    }

    @Test
    void everyObjectCreationIsReportedWithItsKind() throws Exception {
        String putETag = s3.putObject(request -> request.bucket(bucket).key("a/put.txt"),
                RequestBody.fromString("twelve bytes")).eTag();
        s3.copyObject(request -> request.sourceBucket(bucket).sourceKey("a/put.txt")
                .destinationBucket(bucket).destinationKey("a/copy.txt"));
        String uploadId = s3.createMultipartUpload(request -> request.bucket(bucket).key("a/multi.bin")).uploadId();
        String partETag = s3.uploadPart(request -> request.bucket(bucket).key("a/multi.bin").uploadId(uploadId)
                .partNumber(1), RequestBody.fromBytes(new byte[3000])).eTag();
        s3.completeMultipartUpload(request -> request.bucket(bucket).key("a/multi.bin").uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(part -> part.partNumber(1).eTag(partETag))));
        assertThat(postForm("a/form.txt", "from a browser").statusCode()).isEqualTo(204);

        List<ObjectCreated> events = eventsOf(bucket);
        assertThat(events).extracting(ObjectCreated::key, ObjectCreated::eventName, ObjectCreated::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a/put.txt", "Put", 12L),
                org.assertj.core.groups.Tuple.tuple("a/copy.txt", "Copy", 12L),
                org.assertj.core.groups.Tuple.tuple("a/multi.bin", "CompleteMultipartUpload", 3000L),
                org.assertj.core.groups.Tuple.tuple("a/form.txt", "Post", 14L));
        assertThat(events.get(0).eTag()).isEqualTo(putETag.replace("\"", ""));
        assertThat(events).extracting(ObjectCreated::sequencer).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void notificationReachesTheQueueWithTheKeyEncodedAsS3EncodesIt(Emulators emulators) throws Exception {
        try (SqsClient sqs = AwsClients.sqs(emulators.sqs())) {
            String queue = "uploads-" + UUID.randomUUID();
            String queueUrl = sqs.createQueue(request -> request.queueName(queue)).queueUrl();
            emulator.onObjectCreated(new S3Notifications(List.of(new BucketSpec(bucket,
                    List.of(new NotificationSpec(queue, List.of("s3:ObjectCreated:*"), "dir/", ".txt")), List.of())), sqs));
            String key = "dir/a b+c ü.txt";

            s3.putObject(request -> request.bucket(bucket).key("other/skipped.txt"), RequestBody.fromString("no"));
            s3.putObject(request -> request.bucket(bucket).key("dir/skipped.bin"), RequestBody.fromString("no"));
            s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString("yes"));

            List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
            assertThat(messages).hasSize(1);
            JsonNode record = new ObjectMapper().readTree(messages.get(0).body()).path("Records").path(0);
            assertThat(record.path("eventVersion").asText()).isEqualTo("2.1");
            assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
            assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
            assertThat(record.path("s3").path("bucket").path("name").asText()).isEqualTo(bucket);
            assertThat(record.path("s3").path("bucket").path("arn").asText()).isEqualTo("arn:aws:s3:::" + bucket);
            assertThat(record.path("s3").path("object").path("size").asLong()).isEqualTo(3);
            String eventKey = record.path("s3").path("object").path("key").asText();
            assertThat(eventKey).isEqualTo("dir/a+b%2Bc+%C3%BC.txt");
            assertThat(URLDecoder.decode(eventKey, StandardCharsets.UTF_8)).isEqualTo(key);
        }
    }

    @Test
    void objectsSurviveARestartOnTheSamePort() throws Exception {
        s3.putObject(request -> request.bucket(bucket).key("kept.txt"), RequestBody.fromString("kept"));
        String endpoint = emulator.endpoint();

        emulator.stop();
        emulator.stop();
        assertThat(Ports.free(emulator.port())).isTrue();
        emulator.start();

        assertThat(emulator.endpoint()).isEqualTo(endpoint);
        assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("kept.txt")).asUtf8String()).isEqualTo("kept");
    }

    private List<ObjectCreated> eventsOf(String bucketName) {
        return created.stream().filter(event -> event.bucket().equals(bucketName)).toList();
    }

    private PresignedPutObjectRequest presignPut(String key, String contentType, Duration validity) {
        return presigner.presignPutObject(presign -> presign.signatureDuration(validity)
                .putObjectRequest(put -> put.bucket(bucket).key(key).contentType(contentType)));
    }

    /**
     * A client per request: S3Proxy may close a connection after refusing a request whose body it did not read,
     * and a pooled connection reused in that moment fails with "received no bytes" instead of an answer.
     */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private HttpResponse<String> put(URI url, String contentType, String body) throws Exception {
        return client().send(HttpRequest.newBuilder(url)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI withTamperedSignature(URI url) {
        String text = url.toString();
        int at = text.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = text.charAt(at) == '0' ? '1' : '0';
        return URI.create(text.substring(0, at) + flipped + text.substring(at + 1));
    }

    /** A browser form upload signed with a SigV4 POST policy, as a web page gets it from a presigning backend. */
    private HttpResponse<String> postForm(String key, String content) throws Exception {
        Instant now = Instant.now();
        String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
        String credential = S3Emulator.ACCESS_KEY + "/" + date + "/" + S3Emulator.REGION + "/s3/aws4_request";
        String policyJson = "{\"expiration\":\"" + DateTimeFormatter.ISO_INSTANT.format(now.plusSeconds(300)) + "\","
                + "\"conditions\":[{\"bucket\":\"" + bucket + "\"},[\"starts-with\",\"$key\",\"a/\"],"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},{\"x-amz-credential\":\"" + credential + "\"},"
                + "{\"x-amz-date\":\"" + amzDate + "\"}]}";
        String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));
        byte[] signingKey = hmac(hmac(hmac(hmac(("AWS4" + S3Emulator.SECRET_KEY).getBytes(StandardCharsets.UTF_8),
                date), S3Emulator.REGION), "s3"), "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(signingKey, policy));

        String boundary = "----form" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] field : new String[][] {{"key", key}, {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
            {"x-amz-credential", credential}, {"x-amz-date", amzDate}, {"policy", policy},
            {"x-amz-signature", signature}}) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                    + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return client().send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/" + bucket))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
