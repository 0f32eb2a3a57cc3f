package dev.blocks.localcloud.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API route: a route key ({@code GET /v1/links/{code}}, {@code ANY /files/{proxy+}} or
 * {@code $default}) and the function it integrates with.
 */
record Route(String routeKey, String method, List<Segment> segments, String functionName) {

    static final String DEFAULT = "$default";

    /** A path segment of a route: a literal, a {@code {variable}}, or a trailing greedy {@code {variable+}}. */
    record Segment(String text, Kind kind) {
        enum Kind { LITERAL, VARIABLE, GREEDY }

        String variableName() {
            return kind == Kind.GREEDY ? text.substring(1, text.length() - 2) : text.substring(1, text.length() - 1);
        }
    }

    static Route parse(String routeKey, String functionName) {
        String key = routeKey.trim();
        if (key.equals(DEFAULT)) {
            return new Route(DEFAULT, "ANY", List.of(), functionName);
        }
        int space = key.indexOf(' ');
        if (space < 0 || !key.substring(space + 1).startsWith("/")) {
            throw new IllegalArgumentException("route key must be \"METHOD /path\" or $default: " + routeKey);
        }
        String method = key.substring(0, space).toUpperCase(Locale.ROOT);
        String path = key.substring(space + 1).trim();
        List<String> parts = split(path);
        Segment[] segments = new Segment[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            Segment.Kind kind = !part.startsWith("{") || !part.endsWith("}") ? Segment.Kind.LITERAL
                    : part.endsWith("+}") ? Segment.Kind.GREEDY : Segment.Kind.VARIABLE;
            if (kind == Segment.Kind.GREEDY && i != parts.size() - 1) {
                throw new IllegalArgumentException("a greedy path variable must end the path: " + routeKey);
            }
            segments[i] = new Segment(part, kind);
        }
        return new Route(method + " " + path, method, List.of(segments), functionName);
    }

    boolean isDefault() {
        return routeKey.equals(DEFAULT);
    }

    /**
     * The path parameters (decoded) when {@code rawSegments} (still percent-encoded) match this route's path,
     * whatever the method.
     */
    Optional<Map<String, String>> matchPath(List<String> rawSegments) {
        if (isDefault()) {
            return Optional.of(Map.of());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.kind() == Segment.Kind.GREEDY) {
                // {proxy+} needs at least one segment: "/files" does not match "/files/{proxy+}".
                if (i >= rawSegments.size()) {
                    return Optional.empty();
                }
                String rest = String.join("/", rawSegments.subList(i, rawSegments.size()));
                parameters.put(segment.variableName(), decode(rest));
                return Optional.of(parameters);
            }
            if (i >= rawSegments.size()) {
                return Optional.empty();
            }
            String value = decode(rawSegments.get(i));
            if (segment.kind() == Segment.Kind.LITERAL) {
                if (!segment.text().equals(value)) {
                    return Optional.empty();
                }
            } else {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.variableName(), value);
            }
        }
        return segments.size() == rawSegments.size() ? Optional.of(parameters) : Optional.empty();
    }

    boolean acceptsMethod(String requestMethod) {
        return method.equals("ANY") || method.equals(requestMethod);
    }

    /** The path split at '/', without the leading empty part; "/" is no segment at all. */
    static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return List.of(trimmed.split("/", -1));
    }

    private static String decode(String raw) {
        // A path is not a form: '+' stays a plus.
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
