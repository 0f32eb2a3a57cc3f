package dev.blocks.webhooks.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.webhooks.domain.Attempt;
import dev.blocks.webhooks.domain.Endpoint;
import dev.blocks.webhooks.domain.Message;
import java.time.Instant;

/** The JSON of endpoints and messages in API responses. Secrets appear only where a caller is shown one once. */
final class Views {

    private Views() {}

    static ObjectNode endpoint(Endpoint e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", e.id());
        out.put("url", e.url());
        e.events().forEach(out.putArray("events")::add);
        if (e.description() != null) {
            out.put("description", e.description());
        }
        out.put("disabled", e.disabled());
        if (e.disabledReason() != null) {
            out.put("disabledReason", e.disabledReason());
        }
        instant(out, "failingSince", e.failingSince());
        instant(out, "createdAt", e.createdAt());
        instant(out, "updatedAt", e.updatedAt());
        return out;
    }

    static ObjectNode message(Message m) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", m.id());
        out.put("eventId", m.eventId());
        out.put("eventType", m.eventType());
        out.put("endpointId", m.endpointId());
        out.put("status", m.status().name());
        out.put("attempts", m.attempts());
        out.put("round", m.round());
        if (m.reason() != null) {
            out.put("reason", m.reason());
        }
        instant(out, "createdAt", m.createdAt());
        instant(out, "lastAttemptAt", m.lastAttemptAt());
        instant(out, "nextAttemptAt", m.nextAttemptAt());
        return out;
    }

    static ObjectNode attempts(Message m) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("messageId", m.id());
        out.put("status", m.status().name());
        ArrayNode list = out.putArray("attempts");
        for (Attempt a : m.log()) {
            ObjectNode item = list.addObject();
            item.put("round", a.round());
            item.put("number", a.number());
            instant(item, "at", a.at());
            item.put("status", a.status());
            item.put("latencyMillis", a.latencyMillis());
            if (a.excerpt() != null) {
                item.put("response", a.excerpt());
            }
            if (a.error() != null) {
                item.put("error", a.error());
            }
        }
        return out;
    }

    private static void instant(ObjectNode out, String field, Instant value) {
        if (value != null) {
            out.put(field, value.toString());
        }
    }
}
