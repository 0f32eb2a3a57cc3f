package dev.blocks.localcloud.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The event Lambda passes to a function for a batch of SQS messages ({@code {"Records":[...]}}). */
final class SqsEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsEvent() {}

    static byte[] of(List<Message> messages, String queueArn, String region) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            // SQS answers "All" with exactly the system attributes Lambda forwards (FIFO ones only on FIFO queues).
            message.attributesAsStrings().forEach(attributes::put);
            record.set("messageAttributes", messageAttributes(message.messageAttributes()));
            if (message.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
            }
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an SQS event could not be written", e);
        }
    }

    private static ObjectNode messageAttributes(Map<String, MessageAttributeValue> values) {
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode out = JSON.createObjectNode();
        values.forEach((name, value) -> {
            ObjectNode attribute = out.putObject(name);
            if (value.stringValue() != null) {
                attribute.put("stringValue", value.stringValue());
            }
            if (value.binaryValue() != null) {
                attribute.put("binaryValue", base64.encodeToString(value.binaryValue().asByteArray()));
            }
            ArrayNode strings = attribute.putArray("stringListValues");
            value.stringListValues().forEach(strings::add);
            ArrayNode binaries = attribute.putArray("binaryListValues");
            for (SdkBytes bytes : value.binaryListValues()) {
                binaries.add(base64.encodeToString(bytes.asByteArray()));
            }
            attribute.put("dataType", value.dataType());
        });
        return out;
    }
}
