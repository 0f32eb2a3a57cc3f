package dev.blocks.kit.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** One record of an SQS event; {@code receiveCount} is SQS's ApproximateReceiveCount (1 on first delivery). */
public record SqsMessage(String messageId, String body, int receiveCount, String eventSourceArn,
                         Map<String, String> attributes, Map<String, String> messageAttributes) {

    static SqsMessage fromRecord(JsonNode record) {
        Map<String, String> attributes = new LinkedHashMap<>();
        record.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        Map<String, String> messageAttributes = new LinkedHashMap<>();
        record.path("messageAttributes").fields()
                .forEachRemaining(e -> messageAttributes.put(e.getKey(), e.getValue().path("stringValue").asText()));
        return new SqsMessage(record.path("messageId").asText(), record.path("body").asText(),
                Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1")),
                record.path("eventSourceARN").asText(), attributes, messageAttributes);
    }

    /** The queue name, the last part of the source ARN. */
    public String queueName() {
        return eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1);
    }
}
