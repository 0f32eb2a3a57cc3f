package dev.blocks.localcloud.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.AwsEventFixtures;
import dev.blocks.localcloud.spec.BucketSpec.NotificationSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The S3 events of the local cloud have the fields, nesting and types of AWS's (the fixtures), and a Java function
 * reading them with AWS's event classes, as Lambda's Java runtime deserializes them, gets every field.
 */
class S3NotificationsAwsEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NotificationSpec NOTIFICATION =
            new NotificationSpec("invoices", List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), "", "");
    private static final Instant TIME = Instant.parse("2026-12-07T10:15:30Z");

    private final S3Notifications notifications = new S3Notifications(List.of(), null, "eu-central-1", Clock.systemUTC());

    @Test
    void anObjectCreatedEventHasAwsShape() throws Exception {
        JsonNode event = JSON.readTree(created());

        assertThat(AwsEventFixtures.shape(event))
                .isEqualTo(AwsEventFixtures.shape(AwsEventFixtures.read("s3-object-created.json")));
    }

    @Test
    void anObjectRemovedEventHasAwsShape() throws Exception {
        JsonNode event = JSON.readTree(notifications.eventDocument(NOTIFICATION, new S3Notifications.Change(
                "acme-invoices", "drafts/old one.pdf", "ObjectRemoved:Delete", null, null, "0000000000000002"), TIME));

        assertThat(AwsEventFixtures.shape(event))
                .isEqualTo(AwsEventFixtures.shape(AwsEventFixtures.read("s3-object-removed.json")));
    }

    @Test
    void theTestEventHasAwsShape() throws Exception {
        JsonNode event = JSON.readTree(notifications.testEvent("acme-invoices", TIME));

        assertThat(AwsEventFixtures.shape(event))
                .isEqualTo(AwsEventFixtures.shape(AwsEventFixtures.read("s3-test-event.json")));
    }

    @Test
    void anObjectCreatedEventDeserializesIntoS3EventWithEveryFieldSet() {
        S3Event fixture = s3Event(AwsEventFixtures.read("s3-object-created.json").toString());
        assertEveryFieldSet(fixture.getRecords().get(0));

        S3EventNotificationRecord record = s3Event(created()).getRecords().get(0);

        assertEveryFieldSet(record);
        assertThat(record.getEventName()).isEqualTo("ObjectCreated:Put");
        assertThat(record.getAwsRegion()).isEqualTo("eu-central-1");
        assertThat(record.getEventTime().getMillis()).isEqualTo(TIME.toEpochMilli());
        assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo("2026/dec/invoice 42+tax.pdf");
        assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(48213L);
        assertThat(record.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::acme-invoices");
    }

    private String created() {
        return notifications.eventDocument(NOTIFICATION, new S3Notifications.Change("acme-invoices",
                "2026/dec/invoice 42+tax.pdf", "ObjectCreated:Put", 48213L, "5d41402abc4b2a76b9719d911017c592",
                "0000000000000001"), TIME);
    }

    private static S3Event s3Event(String json) {
        return LambdaEventSerializers.serializerFor(S3Event.class, S3Event.class.getClassLoader()).fromJson(json);
    }

    private static void assertEveryFieldSet(S3EventNotificationRecord record) {
        assertThat(record.getEventVersion()).isNotBlank();
        assertThat(record.getEventSource()).isEqualTo("aws:s3");
        assertThat(record.getAwsRegion()).isNotBlank();
        assertThat(record.getEventTime()).isNotNull();
        assertThat(record.getEventName()).isNotBlank();
        assertThat(record.getUserIdentity().getPrincipalId()).isNotBlank();
        assertThat(record.getRequestParameters().getSourceIPAddress()).isNotBlank();
        assertThat(record.getResponseElements().getxAmzRequestId()).isNotBlank();
        assertThat(record.getResponseElements().getxAmzId2()).isNotBlank();
        assertThat(record.getS3().getS3SchemaVersion()).isEqualTo("1.0");
        assertThat(record.getS3().getConfigurationId()).isNotBlank();
        assertThat(record.getS3().getBucket().getName()).isNotBlank();
        assertThat(record.getS3().getBucket().getOwnerIdentity().getPrincipalId()).isNotBlank();
        assertThat(record.getS3().getBucket().getArn()).startsWith("arn:aws:s3:::");
        S3ObjectEntity object = record.getS3().getObject();
        assertThat(object.getKey()).isNotBlank();
        assertThat(object.getSizeAsLong()).isPositive();
        assertThat(object.geteTag()).isNotBlank();
        assertThat(object.getSequencer()).isNotBlank();
    }
}
