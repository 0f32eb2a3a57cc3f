package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.AwsEventFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The SQS and scheduled events the local cloud's event sources send have the fields, nesting and types of AWS's
 * (the fixtures), and deserialize, as Lambda's Java runtime does it, into AWS's event classes with every field set.
 */
@ExtendWith(SharedSqs.class)
class SqsEventSourceAwsEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anSqsEventOfAMessageReceivedFromSqsHasAwsShapeAndEveryFieldOfSqsEvent(LocalSqs sqs) throws Exception {
        String url = sqs.createQueue("shape-" + System.nanoTime(), Map.of());
        sqs.client().sendMessage(r -> r.queueUrl(url).messageBody("{\"order\":\"A-1\"}").messageAttributes(Map.of(
                "tenant", MessageAttributeValue.builder().dataType("String").stringValue("acme").build())));
        List<Message> messages = sqs.client().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
        assertThat(messages).hasSize(1);

        byte[] event = SqsEvent.of(messages, "arn:aws:sqs:us-east-1:000000000000:orders", "us-east-1");

        assertThat(AwsEventFixtures.shape(JSON.readTree(event)))
                .isEqualTo(AwsEventFixtures.shape(AwsEventFixtures.read("sqs-receive.json")));
        SQSEvent.SQSMessage message = sqsEvent(new String(event, StandardCharsets.UTF_8)).getRecords().get(0);
        assertThat(message.getMessageId()).isEqualTo(messages.get(0).messageId());
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getBody()).isEqualTo("{\"order\":\"A-1\"}");
        assertThat(message.getMd5OfBody()).isEqualTo(messages.get(0).md5OfBody());
        assertThat(message.getMd5OfMessageAttributes()).isNotBlank();
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:orders");
        assertThat(message.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(message.getAttributes()).containsKeys("ApproximateReceiveCount", "SentTimestamp", "SenderId",
                "ApproximateFirstReceiveTimestamp");
        assertThat(message.getMessageAttributes().get("tenant").getStringValue()).isEqualTo("acme");
        assertThat(message.getMessageAttributes().get("tenant").getDataType()).isEqualTo("String");
        assertThat(sqsEvent(AwsEventFixtures.read("sqs-receive.json").toString()).getRecords().get(0).getBody())
                .isNotBlank();
    }

    @Test
    void aScheduledEventHasAwsShapeAndEveryFieldOfScheduledEvent() throws Exception {
        Instant time = Instant.parse("2026-12-07T06:00:00Z");
        byte[] event = ScheduledEvent.of("nightly", time, "us-east-1");

        JsonNode json = JSON.readTree(event);
        assertThat(AwsEventFixtures.shape(json))
                .isEqualTo(AwsEventFixtures.shape(AwsEventFixtures.read("scheduled-event.json")));
        // AWS's class, fully named: the local cloud's event writer has the same simple name.
        Class<com.amazonaws.services.lambda.runtime.events.ScheduledEvent> type =
                com.amazonaws.services.lambda.runtime.events.ScheduledEvent.class;
        var scheduled = LambdaEventSerializers.serializerFor(type, type.getClassLoader())
                .fromJson(new String(event, StandardCharsets.UTF_8));
        assertThat(scheduled.getVersion()).isEqualTo("0");
        assertThat(scheduled.getId()).isNotBlank();
        assertThat(scheduled.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(scheduled.getSource()).isEqualTo("aws.events");
        assertThat(scheduled.getAccount()).isEqualTo("000000000000");
        assertThat(scheduled.getTime().getMillis()).isEqualTo(time.toEpochMilli());
        assertThat(scheduled.getRegion()).isEqualTo("us-east-1");
        assertThat(scheduled.getResources()).containsExactly("arn:aws:events:us-east-1:000000000000:rule/nightly");
        assertThat(scheduled.getDetail()).isEmpty();
    }

    private static SQSEvent sqsEvent(String json) {
        return LambdaEventSerializers.serializerFor(SQSEvent.class, SQSEvent.class.getClassLoader()).fromJson(json);
    }
}
