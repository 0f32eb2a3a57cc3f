package dev.blocks.shortener.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.shortener.domain.Click;
import java.io.IOException;
import java.time.Instant;

/**
 * The click event on the stream: {@code {"code","at","referrer","visitor","userAgent","country"}}, absent fields
 * omitted, {@code at} ISO-8601 UTC. Keyed by code, so all clicks of a code land in one partition, in order.
 */
public final class ClickJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClickJson() {}

    public static byte[] encode(Click click) {
        ObjectNode node = JSON.createObjectNode();
        node.put("code", click.code());
        node.put("at", click.at().toString());
        putIfPresent(node, "referrer", click.referrer());
        putIfPresent(node, "visitor", click.visitor());
        putIfPresent(node, "userAgent", click.userAgent());
        putIfPresent(node, "country", click.country());
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The click in {@code value}; throws {@link IllegalArgumentException} for anything that is not one. */
    public static Click decode(byte[] value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (node == null || !node.path("code").isTextual() || !node.path("at").isTextual()) {
            throw new IllegalArgumentException("a click needs code and at");
        }
        return new Click(node.get("code").asText(), Instant.parse(node.get("at").asText()), text(node, "referrer"),
                text(node, "visitor"), text(node, "userAgent"), text(node, "country"));
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
