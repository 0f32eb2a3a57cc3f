package dev.blocks.shortener.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.http.KnownFields;
import dev.blocks.shortener.domain.Link;
import dev.blocks.shortener.domain.LinkDraft;
import dev.blocks.shortener.domain.LinkStats;
import dev.blocks.kit.validation.FieldError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The wire shapes of the links API: the create body in, links and stats out. */
final class LinkJson {

    /** The fields {@code POST /v1/links} takes; any other is refused by name. */
    static final KnownFields DRAFT = KnownFields.of("url", "alias", "expiresAt", "maxVisits", "tags");

    private LinkJson() {}

    /** The draft in a create body; wrong types are added to {@code violations} and leave the field null. */
    static LinkDraft draft(JsonNode body, List<FieldError> violations) {
        String url = null;
        JsonNode urlNode = body.path("url");
        if (urlNode.isTextual()) {
            url = urlNode.asText();
        } else {
            violations.add(new FieldError("url", urlNode.isMissingNode() || urlNode.isNull() ? "is required" : "must be a string"));
        }
        String alias = null;
        if (present(body, "alias")) {
            if (body.get("alias").isTextual()) {
                alias = body.get("alias").asText();
            } else {
                violations.add(new FieldError("alias", "must be a string"));
            }
        }
        Instant expiresAt = null;
        if (present(body, "expiresAt")) {
            try {
                expiresAt = Instant.parse(body.get("expiresAt").asText());
            } catch (DateTimeParseException e) {
                violations.add(new FieldError("expiresAt", "must be an ISO-8601 UTC instant such as 2030-01-31T12:00:00Z"));
            }
        }
        Long maxVisits = null;
        if (present(body, "maxVisits")) {
            JsonNode node = body.get("maxVisits");
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                maxVisits = node.asLong();
            } else {
                violations.add(new FieldError("maxVisits", "must be an integer"));
            }
        }
        List<String> tags = new ArrayList<>();
        if (present(body, "tags")) {
            JsonNode node = body.get("tags");
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    tags.add(node.get(i).isTextual() ? node.get(i).asText() : null);
                }
            } else {
                violations.add(new FieldError("tags", "must be an array of strings"));
            }
        }
        return new LinkDraft(url, alias, expiresAt, maxVisits, tags);
    }

    static ObjectNode link(Link link, String shortUrl) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("code", link.code());
        out.put("shortUrl", shortUrl);
        out.put("url", link.url());
        out.put("createdAt", link.createdAt().toString());
        if (link.expiresAt() != null) {
            out.put("expiresAt", link.expiresAt().toString());
        } else {
            out.putNull("expiresAt");
        }
        if (link.maxVisits() != null) {
            out.put("maxVisits", link.maxVisits());
        } else {
            out.putNull("maxVisits");
        }
        link.tags().forEach(out.putArray("tags")::add);
        return out;
    }

    static ObjectNode stats(LinkStats stats, Long uniqueVisitors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("clicks", stats.clicks());
        if (uniqueVisitors == null) {
            out.putNull("uniqueVisitors");
        } else {
            out.put("uniqueVisitors", uniqueVisitors);
        }
        var days = out.putArray("clicksByDay");
        stats.clicksByDay().forEach(d -> days.addObject().put("day", d.day().toString()).put("clicks", d.clicks()));
        var referrers = out.putArray("topReferrers");
        stats.topReferrers().forEach(r -> referrers.addObject().put("referrer", r.referrer()).put("clicks", r.clicks()));
        return out;
    }

    private static boolean present(JsonNode body, String field) {
        return body.has(field) && !body.get(field).isNull();
    }
}
