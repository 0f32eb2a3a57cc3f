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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes an event: one message per subscribed, enabled endpoint of the owner, each queued for its first
 * attempt. An outbox: the event and its messages are written first (the event last, listing the endpoints whose
 * first attempt is still {@code unsent}), and sent to the delivery queue after; what was sent is then struck off
 * in one update. Whatever a crash or a failed send leaves unsent is sent by a retry of the same request (the same
 * event id, so the same message ids: {@link #resume}) or, failing that, by the sweeper past a deadline.
 *
 * <p>The body every receiver gets is made once here ({@code {"type", "timestamp", "data"}}) and stored with the
 * event, so every retry sends (and signs) the same bytes. Endpoints are listed without their secrets: fan-out
 * decrypts nothing. Round trips: one Query of the owner's endpoints, one BatchWriteItem per 25 items, one
 * SendMessageBatch per 10 messages, one UpdateItem.
 */
final class Fanout {

    /** What a publication produced: the message of each endpoint, and those whose first attempt is not queued. */
    record Published(String eventId, List<String> endpointIds, List<String> unsent) {

        List<String> messageIds() {
            return endpointIds.stream().map(e -> Ids.message(eventId, e)).toList();
        }
    }

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

    /** Writes the event {@code eventId} and its messages, then queues their first attempts. */
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
            return new Published(eventId, List.of(), List.of());
        }
        messages.putEvent(event, body(type, payload, now), created);
        List<String> endpointIds = created.stream().map(Message::endpointId).toList();
        return new Published(eventId, endpointIds, send(eventId, owner, endpointIds, now));
    }

    /**
     * Continues the publication of an event whose publisher died or failed to send: queues the first attempts
     * still unsent. Empty when the event was never completely written (the caller publishes it again, under the
     * same id: its messages, never queued, are simply written again).
     */
    Optional<Published> resume(String eventId, Instant now) {
        return messages.findEvent(eventId).map(stored -> new Published(eventId, stored.endpointIds(),
                stored.unsent().isEmpty() ? List.of() : send(eventId, stored.owner(), stored.unsent(), now)));
    }

    /** The sweeper's part: queues what {@code stored} (read from the unsent index) still has unsent. */
    List<String> sendUnsent(MessageTable.StoredEvent stored, Instant now) {
        return send(stored.id(), stored.owner(), stored.unsent(), now);
    }

    /** Queues attempt 1 of each endpoint's message, strikes off what was sent, answers what was not. */
    private List<String> send(String eventId, String owner, List<String> endpointIds, Instant now) {
        List<QueuedDelivery> deliveries = new ArrayList<>();
        for (String endpointId : endpointIds) {
            deliveries.add(new QueuedDelivery(Ids.message(eventId, endpointId), eventId, owner, endpointId, 1, 1, now));
        }
        Set<String> failed = new HashSet<>();
        queue.sendAll(deliveries, now).forEach(d -> failed.add(d.endpointId()));
        List<String> sent = endpointIds.stream().filter(e -> !failed.contains(e)).toList();
        messages.markSent(eventId, sent, failed.isEmpty());
        return endpointIds.stream().filter(failed::contains).toList();
    }

    static String body(String type, JsonNode payload, Instant timestamp) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", type);
        body.put("timestamp", timestamp.toString());
        body.set("data", payload);
        return body.toString();
    }
}
