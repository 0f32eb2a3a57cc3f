package dev.blocks.localcloud.gateway;

import dev.blocks.localcloud.spec.RouteSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of an HTTP API, matched as API Gateway matches them: the most specific path wins (segment by
 * segment, a literal beats a variable, which beats a greedy variable), then a route for the request's method
 * beats an ANY route, and {@code $default} takes what nothing else matched.
 */
final class RouteTable {

    /** A route that matched a request, with the path parameters it extracted. */
    record Match(Route route, Map<String, String> pathParameters) {}

    private final List<Route> routes;

    RouteTable(List<RouteSpec> specs) {
        List<Route> parsed = new ArrayList<>();
        for (RouteSpec spec : specs) {
            Route route = Route.parse(spec.routeKey(), spec.functionName());
            if (parsed.stream().anyMatch(other -> other.routeKey().equals(route.routeKey()))) {
                throw new IllegalArgumentException("route " + route.routeKey() + " is defined twice");
            }
            parsed.add(route);
        }
        parsed.sort(PRECEDENCE);
        this.routes = List.copyOf(parsed);
    }

    List<Route> routes() {
        return routes;
    }

    Optional<Match> match(String method, String rawPath) {
        List<String> segments = Route.split(rawPath);
        for (Route route : routes) {
            if (!route.acceptsMethod(method)) {
                continue;
            }
            Optional<Map<String, String>> parameters = route.matchPath(segments);
            if (parameters.isPresent()) {
                return Optional.of(new Match(route, parameters.get()));
            }
        }
        return Optional.empty();
    }

    private static final Comparator<Route> PRECEDENCE = (a, b) -> {
        if (a.isDefault() != b.isDefault()) {
            return a.isDefault() ? 1 : -1;
        }
        int shared = Math.min(a.segments().size(), b.segments().size());
        for (int i = 0; i < shared; i++) {
            int byKind = a.segments().get(i).kind().compareTo(b.segments().get(i).kind());
            if (byKind != 0) {
                return byKind;
            }
        }
        // Same shape so far: the longer path is the more specific one.
        if (a.segments().size() != b.segments().size()) {
            return Integer.compare(b.segments().size(), a.segments().size());
        }
        boolean aAny = a.method().equals("ANY");
        boolean bAny = b.method().equals("ANY");
        if (aAny != bAny) {
            return aAny ? 1 : -1;
        }
        return a.routeKey().compareTo(b.routeKey());
    };
}
