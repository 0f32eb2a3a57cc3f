package dev.blocks.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads a JSON object body, answering a client mistake with a 400 (or 413) problem, never a 500. */
public final class JsonBody {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBody() {}

    public static ObjectNode object(HttpRequest request, int maxBytes) {
        if (request.body().length > maxBytes) {
            throw ProblemException.tooLarge("body exceeds " + maxBytes + " bytes");
        }
        if (request.body().length == 0) {
            throw ProblemException.badRequest("a JSON object body is required");
        }
        String type = request.header("content-type").orElse("application/json");
        if (!type.startsWith("application/json") && !type.contains("+json")) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send application/json, not " + type));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("unreadable body");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        return object;
    }
}
