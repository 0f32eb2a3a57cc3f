package dev.blocks.kit.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.validation.FieldError;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document: {@code type}, {@code title}, {@code status}, {@code detail}, and {@code errors}
 * for field-level problems. {@code type} is a stable URI per kind of problem so that clients can branch on it.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPES = "https://blocks.dev/problems/";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPES + slug, title, status, detail, List.of());
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new Problem(TYPES + "validation", "Invalid request", 400, detail, List.copyOf(errors));
    }

    public HttpResponse toResponse() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (!errors.isEmpty()) {
            var array = body.putArray("errors");
            errors.forEach(e -> array.addObject().put("field", e.field()).put("message", e.message()));
        }
        return new HttpResponse(status, Map.of("content-type", CONTENT_TYPE), List.of(), body.toString());
    }
}
