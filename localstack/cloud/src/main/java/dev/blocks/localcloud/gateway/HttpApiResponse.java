package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP response API Gateway makes of a function's result (payload format 2.0): either the structured form
 * ({@code statusCode}, {@code headers}, {@code cookies}, {@code body}, {@code isBase64Encoded}), or, when the
 * result is JSON without a {@code statusCode}, a 200 whose body is the result (a JSON string's text). Format
 * 2.0 has no {@code multiValueHeaders}: a function that sets them (a 1.0 habit) loses those headers, as on AWS.
 */
record HttpApiResponse(int status, Map<String, List<String>> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The function's result cannot be turned into a response; API Gateway answers 500. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static HttpApiResponse of(byte[] result) throws Malformed {
        JsonNode node;
        try {
            node = JSON.readTree(result);
        } catch (IOException e) {
            throw new Malformed("the function's result is not JSON");
        }
        if (node == null) {
            throw new Malformed("the function returned nothing");
        }
        if (!node.isObject() || !node.has("statusCode")) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("content-type", new ArrayList<>(List.of("application/json")));
            // AWS's own example: a function returning the JSON string "Hello from Lambda!" answers with the
            // string as the body, without the quotes; any other JSON is the body as it is.
            byte[] body = node.isTextual() ? node.textValue().getBytes(StandardCharsets.UTF_8) : result;
            return new HttpApiResponse(200, headers, body);
        }
        int status = status(node.get("statusCode"));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (var header : node.path("headers").properties()) {
            add(headers, header.getKey(), header.getValue().asText());
        }
        for (JsonNode cookie : node.path("cookies")) {
            add(headers, "set-cookie", cookie.asText());
        }
        JsonNode bodyNode = node.get("body");
        byte[] body;
        if (bodyNode == null || bodyNode.isNull()) {
            body = new byte[0];
        } else {
            String text = bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
            if (node.path("isBase64Encoded").asBoolean(false)) {
                try {
                    body = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new Malformed("isBase64Encoded is true but the body is not base64");
                }
            } else {
                body = text.getBytes(StandardCharsets.UTF_8);
            }
        }
        if (body.length > 0) {
            headers.putIfAbsent("content-type", new ArrayList<>(List.of("application/json")));
        }
        return new HttpApiResponse(status, headers, body);
    }

    private static int status(JsonNode statusCode) throws Malformed {
        int status;
        if (statusCode.canConvertToInt()) {
            status = statusCode.asInt();
        } else {
            try {
                status = Integer.parseInt(statusCode.asText().trim());
            } catch (NumberFormatException e) {
                throw new Malformed("statusCode is not a number: " + statusCode);
            }
        }
        if (status < 100 || status > 599) {
            throw new Malformed("statusCode out of range: " + status);
        }
        return status;
    }

    private static void add(Map<String, List<String>> headers, String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(value);
    }
}
