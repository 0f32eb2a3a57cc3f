package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.http.Exchange;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.RouteSpec;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway HTTP API in front of the local Lambda service: routes a request to its function with a
 * payload-2.0 event and turns the function's result into the HTTP response, as API Gateway does.
 */
public final class HttpGateway {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** API Gateway's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final String API_ID = "local";
    /** Headers the HTTP server manages itself; a function cannot set them. */
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade");

    private final RouteTable routes;
    private final FunctionInvoker functions;
    private final BooleanSupplier healthy;
    private final String accountId;

    private HttpGateway(RouteTable routes, FunctionInvoker functions, BooleanSupplier healthy, String accountId) {
        this.routes = routes;
        this.functions = functions;
        this.healthy = healthy;
        this.accountId = accountId;
    }

    /**
     * Serves {@code routes} on {@code server} (which the caller starts and closes). {@code healthy} answers
     * {@code GET /healthz}: true once every function has initialised.
     */
    public static HttpGateway serve(LoopbackServer server, List<RouteSpec> routes, FunctionInvoker functions,
                                    BooleanSupplier healthy, String accountId) {
        HttpGateway gateway = new HttpGateway(new RouteTable(routes), functions, healthy, accountId);
        server.handle("/", gateway::handle);
        return gateway;
    }

    /** One line per route, most specific first: {@code GET /v1/links/{code} -> links-api}. */
    public List<String> describeRoutes() {
        return routes.routes().stream().map(route -> route.routeKey() + " -> " + route.functionName()).toList();
    }

    private void handle(Exchange exchange) throws IOException {
        String requestId = requestId();
        exchange.replyHeaders().set("apigw-requestid", requestId);
        String rawPath = exchange.uri().getRawPath();
        String method = exchange.method();
        var match = routes.match(method, rawPath);
        // The gateway's own health check, unless the API itself has a literal /healthz route.
        boolean apiOwnsPath = match.filter(m -> !m.route().isDefault() && m.pathParameters().isEmpty()).isPresent();
        if (method.equals("GET") && rawPath.equals("/healthz") && !apiOwnsPath) {
            health(exchange);
            return;
        }
        if (match.isEmpty()) {
            exchange.replyJson(404, "{\"message\":\"Not Found\"}");
            return;
        }
        byte[] body;
        try {
            body = exchange.body(MAX_BODY_BYTES);
        } catch (Exchange.PayloadTooLarge e) {
            exchange.replyJson(413, "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        HttpApiEvent.Request request = new HttpApiEvent.Request(method, rawPath, exchange.uri().getRawQuery(),
                exchange.headers(), body, exchange.remoteAddress(), exchange.protocol(), exchange.localPort());
        HttpApiEvent.Context context = new HttpApiEvent.Context(accountId, API_ID, requestId, Instant.now());
        byte[] event = JSON.writeValueAsBytes(HttpApiEvent.of(match.get(), request, context));
        String function = match.get().route().functionName();
        HttpApiResponse response;
        try {
            response = HttpApiResponse.of(functions.invoke(function, event));
        } catch (FunctionInvoker.FunctionError e) {
            LOG.debug("{} {} -> {}: function error {} {}", method, rawPath, function, e.errorType(), e.getMessage());
            exchange.replyJson(500, "{\"message\":\"Internal Server Error\"}");
            return;
        } catch (HttpApiResponse.Malformed | IllegalArgumentException e) {
            // A malformed result, or a route to a function the Lambda service does not have.
            LOG.warn("{} {} -> {}: {}", method, rawPath, function, e.getMessage());
            exchange.replyJson(500, "{\"message\":\"Internal Server Error\"}");
            return;
        }
        response.headers().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name)) {
                values.forEach(value -> exchange.replyHeaders().add(name, value));
            }
        });
        boolean bodiless = response.status() == 204 || response.status() == 304 || method.equals("HEAD");
        exchange.reply(response.status(), null, bodiless ? null : response.body());
    }

    private void health(Exchange exchange) throws IOException {
        boolean up = healthy.getAsBoolean();
        exchange.replyJson(up ? 200 : 503, up ? "{\"status\":\"UP\"}" : "{\"status\":\"STARTING\"}");
    }

    /** Shaped like API Gateway's request ids (base64 of random bytes, ending in '='). */
    private static String requestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).replace('/', 'x').replace('+', 'y');
    }
}
