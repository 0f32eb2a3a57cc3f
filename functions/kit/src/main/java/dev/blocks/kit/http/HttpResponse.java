package dev.blocks.kit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A response in the API Gateway v2 (payload format 2.0) shape. Build with the static factories. */
public record HttpResponse(int status, Map<String, String> headers, List<String> cookies, String body) {

    public static final String JSON = "application/json";

    public static HttpResponse json(int status, JsonNode body) {
        return new HttpResponse(status, Map.of("content-type", JSON), List.of(), body.toString());
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, Map.of(), List.of(), null);
    }

    public static HttpResponse redirect(int status, String location) {
        return new HttpResponse(status, Map.of("location", location, "cache-control", "private, max-age=0"), List.of(), null);
    }

    /** This response with one more header (or a header replaced). */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return new HttpResponse(status, copy, cookies, body);
    }

    public HttpResponse withHeaders(Map<String, String> more) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        more.forEach((k, v) -> copy.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new HttpResponse(status, copy, cookies, body);
    }

    JsonNode toEvent() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("statusCode", status);
        ObjectNode h = out.putObject("headers");
        headers.forEach(h::put);
        if (!cookies.isEmpty()) {
            cookies.forEach(out.putArray("cookies")::add);
        }
        if (body != null) {
            out.put("body", body);
        }
        out.put("isBase64Encoded", false);
        return out;
    }
}
