package dev.blocks.kit.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps the gateway's route keys ({@code POST /v1/links}) to handler methods. The gateway has already matched
 * the route and extracted path parameters, so a function only dispatches on the key it was given.
 */
public final class Routes {

    /** A handler of one route. */
    @FunctionalInterface
    public interface Route {
        HttpResponse handle(HttpRequest request) throws Exception;
    }

    private final Map<String, Route> routes = new LinkedHashMap<>();

    public Routes on(String routeKey, Route route) {
        if (routes.putIfAbsent(routeKey, route) != null) {
            throw new IllegalArgumentException("route declared twice: " + routeKey);
        }
        return this;
    }

    public HttpResponse dispatch(HttpRequest request) throws Exception {
        Route route = routes.get(request.routeKey());
        if (route == null) {
            throw new ProblemException(Problem.of(404, "no-route", "Not found",
                    "no route " + request.routeKey() + " in this function"));
        }
        return route.handle(request);
    }

    public java.util.Set<String> keys() {
        return routes.keySet();
    }
}
