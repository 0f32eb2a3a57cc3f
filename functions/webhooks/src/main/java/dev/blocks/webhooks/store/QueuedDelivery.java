package dev.blocks.webhooks.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The delivery queue's message: which attempt of which message is due when. It names the owner and endpoint so
 * that the deliverer can consult the endpoint's breaker (and defer) before reading anything from DynamoDB.
 */
public record QueuedDelivery(String messageId, String eventId, String owner, String endpointId, int round,
                             int attempt, Instant due) {

    public String toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("m", messageId).put("e", eventId).put("o", owner).put("p", endpointId).put("r", round)
                .put("a", attempt).put("due", due.toEpochMilli());
        return node.toString();
    }

    public static QueuedDelivery fromJson(JsonNode node) {
        return new QueuedDelivery(node.path("m").asText(), node.path("e").asText(), node.path("o").asText(),
                node.path("p").asText(), node.path("r").asInt(1), node.path("a").asInt(1),
                Instant.ofEpochMilli(node.path("due").asLong()));
    }

    public QueuedDelivery at(int nextAttempt, Instant when) {
        return new QueuedDelivery(messageId, eventId, owner, endpointId, round, nextAttempt, when);
    }
}
