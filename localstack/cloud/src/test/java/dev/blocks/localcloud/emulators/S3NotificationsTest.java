package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3NotificationsTest {

    private static S3Notifications.Change created(String key, String eventName) {
        return new S3Notifications.Change("uploads", key, "ObjectCreated:" + eventName, 42L, "0123abcd",
                "00000000000000A1");
    }

    private static S3Notifications.Change removed(String key) {
        return new S3Notifications.Change("uploads", key, "ObjectRemoved:Delete", null, null, "00000000000000A2");
    }

    @Test
    void keysAreFormEncodedWithSlashesKept() {
        assertThat(S3Notifications.eventKey("dir/a b+c ü.txt")).isEqualTo("dir/a+b%2Bc+%C3%BC.txt");
        assertThat(S3Notifications.eventKey("plain/key-1_2.txt")).isEqualTo("plain/key-1_2.txt");
        String odd = "x/ä€😀 %&=?#.bin";
        assertThat(URLDecoder.decode(S3Notifications.eventKey(odd), StandardCharsets.UTF_8)).isEqualTo(odd);
    }

    @Test
    void notificationsMatchOnEventNamePrefixAndSuffix() {
        var anyCreated = new NotificationSpec("q", List.of("s3:ObjectCreated:*"), "incoming/", ".csv");
        var putsOnly = new NotificationSpec("q", List.of("s3:ObjectCreated:Put"), null, null);

        assertThat(S3Notifications.matches(anyCreated, created("incoming/a.csv", "Copy"))).isTrue();
        assertThat(S3Notifications.matches(anyCreated, created("incoming/a.txt", "Put"))).isFalse();
        assertThat(S3Notifications.matches(anyCreated, created("other/a.csv", "Put"))).isFalse();
        assertThat(S3Notifications.matches(putsOnly, created("any", "Put"))).isTrue();
        assertThat(S3Notifications.matches(putsOnly, created("any", "CompleteMultipartUpload"))).isFalse();
        assertThat(S3Notifications.matches(putsOnly, removed("any"))).isFalse();
        assertThat(S3Notifications.matches(anyCreated, removed("incoming/a.csv"))).isFalse();
    }

    @Test
    void removalNotificationsMatchOnTheirOwnEventNames() {
        var anyRemoved = new NotificationSpec("q", List.of("s3:ObjectRemoved:*"), "", "");
        var deletes = new NotificationSpec("q", List.of("s3:ObjectRemoved:Delete"), "", ".csv");

        assertThat(S3Notifications.matches(anyRemoved, removed("a.txt"))).isTrue();
        assertThat(S3Notifications.matches(anyRemoved, created("a.txt", "Put"))).isFalse();
        assertThat(S3Notifications.matches(deletes, removed("a.csv"))).isTrue();
        assertThat(S3Notifications.matches(deletes, removed("a.txt"))).isFalse();
    }

    @Test
    void eventTimesAlwaysHaveThreeDigitsOfMilliseconds() {
        assertThat(S3Notifications.eventTime(Instant.parse("2026-11-24T10:15:30Z"))).isEqualTo("2026-11-24T10:15:30.000Z");
        assertThat(S3Notifications.eventTime(Instant.parse("2026-11-24T10:15:30.1Z"))).isEqualTo("2026-11-24T10:15:30.100Z");
        assertThat(S3Notifications.eventTime(Instant.parse("2026-11-24T10:15:30.123999Z")))
                .isEqualTo("2026-11-24T10:15:30.123Z");
    }

    @Test
    void aRemovalDocumentHasNoSizeAndNoETag() throws Exception {
        var notifications = new S3Notifications(List.of(), null, "eu-west-1", java.time.Clock.systemUTC());
        var notification = new NotificationSpec("q", List.of("s3:ObjectRemoved:*"), "", "");

        JsonNode record = new ObjectMapper().readTree(notifications.eventDocument(notification,
                removed("reports/q1 2026.csv"), Instant.parse("2026-11-24T10:15:30Z"))).path("Records").path(0);

        assertThat(record.path("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
        assertThat(record.path("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(record.path("eventTime").asText()).isEqualTo("2026-11-24T10:15:30.000Z");
        JsonNode object = record.path("s3").path("object");
        assertThat(object.path("key").asText()).isEqualTo("reports/q1+2026.csv");
        assertThat(object.path("sequencer").asText()).isEqualTo("00000000000000A2");
        assertThat(object.has("size")).isFalse();
        assertThat(object.has("eTag")).isFalse();
    }

    @Test
    void theTestEventHasTheShapeS3Sends() throws Exception {
        var notifications = new S3Notifications(List.of(), null);

        JsonNode event = new ObjectMapper().readTree(notifications.testEvent("uploads",
                Instant.parse("2026-11-24T10:15:30.020Z")));

        assertThat(event.path("Service").asText()).isEqualTo("Amazon S3");
        assertThat(event.path("Event").asText()).isEqualTo("s3:TestEvent");
        assertThat(event.path("Time").asText()).isEqualTo("2026-11-24T10:15:30.020Z");
        assertThat(event.path("Bucket").asText()).isEqualTo("uploads");
        assertThat(event.path("RequestId").asText()).matches("[0-9A-F]{16}");
        assertThat(event.path("HostId").asText()).isNotBlank();
        assertThat(event.size()).isEqualTo(6);
        assertThat(event.has("Records")).isFalse();
    }

    @Test
    void eventDocumentHasTheShapeS3Sends() throws Exception {
        var notifications = new S3Notifications(List.of(), null);
        var notification = new NotificationSpec("upload-events", List.of("s3:ObjectCreated:*"), "", "");

        JsonNode document = new ObjectMapper().readTree(notifications.eventDocument(notification,
                created("dir/a b.txt", "CompleteMultipartUpload"), Instant.parse("2026-11-24T10:15:30.123456Z")));

        JsonNode record = document.path("Records").path(0);
        assertThat(record.path("eventVersion").asText()).isEqualTo("2.1");
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.path("eventTime").asText()).isEqualTo("2026-11-24T10:15:30.123Z");
        assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(record.path("userIdentity").path("principalId").isTextual()).isTrue();
        assertThat(record.path("requestParameters").path("sourceIPAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(record.path("responseElements").path("x-amz-request-id").isTextual()).isTrue();
        assertThat(record.path("responseElements").path("x-amz-id-2").isTextual()).isTrue();
        JsonNode s3 = record.path("s3");
        assertThat(s3.path("s3SchemaVersion").asText()).isEqualTo("1.0");
        assertThat(s3.path("configurationId").isTextual()).isTrue();
        assertThat(s3.path("bucket").path("name").asText()).isEqualTo("uploads");
        assertThat(s3.path("bucket").path("arn").asText()).isEqualTo("arn:aws:s3:::uploads");
        assertThat(s3.path("bucket").path("ownerIdentity").path("principalId").isTextual()).isTrue();
        assertThat(s3.path("object").path("key").asText()).isEqualTo("dir/a+b.txt");
        assertThat(s3.path("object").path("size").asLong()).isEqualTo(42);
        assertThat(s3.path("object").path("eTag").asText()).isEqualTo("0123abcd");
        assertThat(s3.path("object").path("sequencer").asText()).isEqualTo("00000000000000A1");
    }
}
