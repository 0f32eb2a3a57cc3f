package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The event API Gateway HTTP APIs send a Lambda integration, payload format version 2.0. */
final class HttpApiEvent {

    /** An HTTP request as the gateway received it; path and query still percent-encoded. */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
                   String sourceIp, String protocol, int port) {}

    /** Who the gateway says it is in {@code requestContext}. */
    record Context(String accountId, String apiId, String requestId, Instant time) {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpApiEvent() {
    }

    /** The request's headers as the event carries them: names in lower case, repeated values joined by commas. */
    static Map<String, String> headers(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.equals("cookie")) {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        // What the client says it forwarded is kept, never trusted: the connection's address is appended, and
        // the port and protocol are the gateway's own, whatever the client sent.
        headers.merge("x-forwarded-for", request.sourceIp(), (sent, own) -> sent + ", " + own);
        headers.put("x-forwarded-port", Integer.toString(request.port()));
        headers.put("x-forwarded-proto", "http");
        return headers;
    }

    static ObjectNode of(RouteTable.Match match, Request request, Context context,
                         JwtAuthorizer.Authorized authorized) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode event = json.objectNode();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());

        Map<String, String> headers = headers(request);
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("cookie")) {
                // 2.0 moves cookies out of the headers into their own list, one entry per cookie.
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
            }
        });
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);

        Map<String, String> query = queryParameters(request.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }

        String host = headers.getOrDefault("host", "localhost");
        ObjectNode requestContext = event.putObject("requestContext");
        requestContext.put("accountId", context.accountId());
        requestContext.put("apiId", context.apiId());
        if (authorized != null) {
            ObjectNode jwt = requestContext.putObject("authorizer").putObject("jwt");
            ObjectNode claims = jwt.putObject("claims");
            authorized.claims().forEach(claims::put);
            if (authorized.scopes() == null) {
                jwt.putNull("scopes");
            } else {
                authorized.scopes().forEach(jwt.putArray("scopes")::add);
            }
        }
        requestContext.put("domainName", host);
        requestContext.put("domainPrefix", domainPrefix(host));
        ObjectNode http = requestContext.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        requestContext.put("requestId", context.requestId());
        requestContext.put("routeKey", match.route().routeKey());
        requestContext.put("stage", "$default");
        requestContext.put("time", TIME.format(context.time()));
        requestContext.put("timeEpoch", context.time().toEpochMilli());

        byte[] body = request.body();
        if (body != null && body.length > 0) {
            boolean text = isText(headers.get("content-type")) && isUtf8(body);
            event.put("body", text ? new String(body, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        if (!match.pathParameters().isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            match.pathParameters().forEach(parameters::put);
        }
        return event;
    }

    /** Decoded query parameters; a repeated name has its values joined with commas, as in format 2.0. */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (!name.isEmpty()) {
                parameters.merge(name, value, (a, b) -> a + "," + b);
            }
        }
        return parameters;
    }

    private static String domainPrefix(String host) {
        String name = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /**
     * HTTP APIs pass these bodies as text; everything else, a missing content type, and form bodies
     * ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}) too, as base64. AWS does not list
     * the types; this is the split observed on HTTP APIs with payload format 2.0.
     */
    private static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return mediaType.startsWith("text/")
                || mediaType.equals("application/json")
                || mediaType.equals("application/xml")
                || mediaType.equals("application/javascript");
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
