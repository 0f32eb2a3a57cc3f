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
 * A click that went through the spool (Kafka was down when it happened) also has {@code "spool"}: an id the
 * clicks function claims once, so that a click the spool delivered twice is counted once.
 */
public final class ClickJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClickJson() {}

    public static byte[] encode(Click click) {
        return encode(click, null);
    }

    /** The event of a spooled click, {@code spoolId} being its claim id (null: not spooled). */
    public static byte[] encode(Click click, String spoolId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("code", click.code());
        node.put("at", click.at().toString());
        putIfPresent(node, "referrer", click.referrer());
        putIfPresent(node, "visitor", click.visitor());
        putIfPresent(node, "userAgent", click.userAgent());
        putIfPresent(node, "country", click.country());
        putIfPresent(node, "spool", spoolId);
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A click as read from the stream, with the spool's id when it went through the spool (else null). */
    public record Read(Click click, String spoolId) {}

    /** The click in {@code value}; throws {@link IllegalArgumentException} for anything that is not one. */
    public static Click decode(byte[] value) {
        return read(value).click();
    }

    /** The click in {@code value} and its spool id; throws {@link IllegalArgumentException} for anything else. */
    public static Read read(byte[] value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (node == null || !node.path("code").isTextual() || !node.path("at").isTextual()) {
            throw new IllegalArgumentException("a click needs code and at");
        }
        Instant at;
        try {
            at = Instant.parse(node.get("at").asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("at is not an ISO-8601 instant", e);
        }
        return new Read(new Click(node.get("code").asText(), at, text(node, "referrer"), text(node, "visitor"),
                text(node, "userAgent"), text(node, "country")), text(node, "spool"));
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
