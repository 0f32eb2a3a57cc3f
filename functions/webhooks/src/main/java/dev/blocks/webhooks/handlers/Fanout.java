package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.webhooks.domain.Endpoint;
import dev.blocks.webhooks.domain.Event;
import dev.blocks.webhooks.domain.Ids;
import dev.blocks.webhooks.domain.Message;
import dev.blocks.webhooks.domain.MessageStatus;
import dev.blocks.webhooks.store.DeliveryQueue;
import dev.blocks.webhooks.store.EndpointTable;
import dev.blocks.webhooks.store.MessageTable;
import dev.blocks.webhooks.store.QueuedDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes an event: one message per subscribed, enabled endpoint of the owner, each queued for its first
 * attempt. The body every receiver gets is made once here ({@code {"type", "timestamp", "data"}}) and stored
 * with the event, so every retry sends (and signs) the same bytes. Round trips: one Query of the owner's
 * endpoints, one BatchWriteItem per 25 items, one SendMessageBatch per 10 messages.
 */
final class Fanout {

    /** What a publication produced. */
    record Published(Event event, List<Message> messages) {}

    private final EndpointTable endpoints;
    private final MessageTable messages;
    private final DeliveryQueue queue;
    private final int maxEndpoints;

    Fanout(EndpointTable endpoints, MessageTable messages, DeliveryQueue queue, int maxEndpoints) {
        this.endpoints = endpoints;
        this.messages = messages;
        this.queue = queue;
        this.maxEndpoints = maxEndpoints;
    }

    Published publish(String owner, String eventId, String type, JsonNode payload, Instant now) {
        Event event = new Event(eventId, owner, type, payload.toString(), now);
        List<Message> created = new ArrayList<>();
        for (Endpoint endpoint : endpoints.list(owner, maxEndpoints)) {
            if (endpoint.subscribed(type)) {
                created.add(new Message(Ids.message(eventId, endpoint.id()), owner, endpoint.id(), eventId, type,
                        MessageStatus.PENDING, 0, 1, null, now, null, now, List.of()));
            }
        }
        if (created.isEmpty()) {
            return new Published(event, created);
        }
        messages.putEvent(event, body(type, payload, now), created);
        List<QueuedDelivery> deliveries = new ArrayList<>();
        for (Message m : created) {
            deliveries.add(new QueuedDelivery(m.id(), eventId, owner, m.endpointId(), 1, 1, now));
        }
        queue.send(deliveries, now);
        return new Published(event, created);
    }

    static String body(String type, JsonNode payload, Instant timestamp) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", type);
        body.put("timestamp", timestamp.toString());
        body.set("data", payload);
        return body.toString();
    }
}
