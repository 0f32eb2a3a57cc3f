package dev.blocks.kit.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as API Gateway (HTTP API, payload format 2.0) hands it to a function. Header names are
 * lower-case, as the gateway delivers them; {@code claims} are the JWT claims of an HTTP API authorizer (empty
 * when there was none).
 */
public record HttpRequest(
        String routeKey,
        String method,
        String path,
        Map<String, String> headers,
        Map<String, String> query,
        Map<String, String> pathParameters,
        List<String> cookies,
        byte[] body,
        String sourceIp,
        String requestId,
        Map<String, String> claims) {

    /** Reads the API Gateway v2 event. */
    public static HttpRequest fromEvent(JsonNode event) {
        JsonNode http = event.path("requestContext").path("http");
        byte[] body = new byte[0];
        if (event.hasNonNull("body")) {
            String text = event.get("body").asText();
            body = event.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        List<String> cookies = new ArrayList<>();
        event.path("cookies").forEach(c -> cookies.add(c.asText()));
        Map<String, String> claims = new LinkedHashMap<>();
        event.path("requestContext").path("authorizer").path("jwt").path("claims").fields()
                .forEachRemaining(e -> claims.put(e.getKey(), e.getValue().asText()));
        String method = http.path("method").asText("GET");
        String path = event.path("rawPath").asText(http.path("path").asText("/"));
        return new HttpRequest(
                event.path("routeKey").asText(method + " " + path),
                method,
                path,
                headers,
                strings(event.path("queryStringParameters")),
                strings(event.path("pathParameters")),
                cookies,
                body,
                http.path("sourceIp").asText(""),
                event.path("requestContext").path("requestId").asText(""),
                claims);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A path parameter the route declares; its absence is a routing mistake, not a client error. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route " + routeKey + " has no path parameter " + name);
        }
        return value;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
