package dev.blocks.kit.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads a JSON object body, answering a client mistake with a 400 (or 413) problem, never a 500. */
public final class JsonBody {

    // Two values for one name are refused, not resolved to the last: a client (or a proxy that rewrote the body)
    // and this function would otherwise read different requests from the same bytes.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // {"a":1}{"a":2} is not one object followed by noise to ignore
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        } catch (JsonParseException e) {
            String name = duplicateName(e);
            if (name != null) {
                throw ProblemException.invalid(name, "duplicate field");
            }
            throw malformed(e);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("unreadable body");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.badRequest("the body must be a JSON object");
        }
        return object;
    }

    private static ProblemException malformed(JsonProcessingException e) {
        return e.getLocation() == null
                ? ProblemException.badRequest("malformed JSON")
                : ProblemException.badRequest("malformed JSON at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr());
    }

    /** The name Jackson's duplicate detection reports ({@code Duplicate field 'x'}), shortened; null for other errors. */
    private static String duplicateName(JsonParseException e) {
        String message = e.getOriginalMessage();
        String prefix = "Duplicate field '";
        if (message == null || !message.startsWith(prefix) || !message.endsWith("'")) {
            return null;
        }
        String name = message.substring(prefix.length(), message.length() - 1);
        return name.length() <= 100 ? name : name.substring(0, 100) + "…";
    }
}
