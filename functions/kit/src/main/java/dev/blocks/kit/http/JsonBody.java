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
        String where = unfaithful(object, "");
        if (where != null) {
            int colon = where.indexOf(": ");
            throw ProblemException.invalid(where.substring(0, colon), where.substring(colon + 2));
        }
        return object;
    }

    /**
     * Where a value would not be stored or passed on as sent, and why ({@code path: reason}), or null. A number
     * past a double's range is written back as the string "Infinity" (not even JSON), and an unpaired surrogate
     * (an escape such as \ud800, half a character) has no UTF-8 form, so a store keeps a "?" in its place: both
     * are refused rather than silently changed.
     */
    static String unfaithful(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            return name(path) + ": numbers must be within the range of a double";
        }
        if (node.isTextual() && unpairedSurrogate(node.textValue())) {
            return name(path) + ": text must be Unicode (no unpaired surrogate)";
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String inner = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            String problem = unpairedSurrogate(field.getKey())
                    ? name(path) + ": names must be Unicode (no unpaired surrogate)"
                    : unfaithful(field.getValue(), inner);
            if (problem != null) {
                return problem;
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String problem = unfaithful(node.get(i), path + "[" + i + "]");
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String name(String path) {
        String shown = path.isEmpty() ? "body" : path;
        // a name with a half character cannot be shown as it is; its ": " would also confuse the split above
        return shown.chars().anyMatch(c -> Character.isSurrogate((char) c)) || shown.contains(": ") || shown.length() > 100
                ? "body" : shown;
    }

    private static boolean unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
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
