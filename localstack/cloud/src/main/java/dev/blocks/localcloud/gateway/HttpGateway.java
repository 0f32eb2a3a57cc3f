package dev.blocks.localcloud.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.http.Exchange;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway HTTP API in front of the local Lambda service: routes a request to its function with a
 * payload-2.0 event and turns the function's result into the HTTP response, as API Gateway does; with its JWT
 * authorizers, its integration timeout and its payload limits.
 */
public final class HttpGateway {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** HTTP API's own limit on a request body. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** Lambda's limit on a synchronous invocation's payload: here, the whole event (a base64 body grows by 4/3). */
    static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
    /** Lambda's limit on a synchronous invocation's response (100 bytes more than the request's, as measured). */
    static final int MAX_RESULT_BYTES = 6 * 1024 * 1024 + 100;
    /** HTTP APIs' integration timeout: the default, and the most a route's integration may set. */
    public static final Duration DEFAULT_INTEGRATION_TIMEOUT = Duration.ofMillis(RouteSpec.DEFAULT_TIMEOUT_MILLIS);
    private static final String API_ID = "local";
    private static final String INTERNAL_ERROR = "{\"message\":\"Internal Server Error\"}";
    /** Headers the HTTP server manages itself; a function cannot set them. */
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade");

    private final RouteTable routes;
    private final Map<String, RouteSpec> specs = new HashMap<>();
    private final Map<String, JwtAuthorizer> authorizers = new HashMap<>();
    private final FunctionInvoker functions;
    private final BooleanSupplier healthy;
    private final String accountId;
    private final Duration integrationTimeout;
    /** Runs invocations, so that the gateway can stop waiting for one that Lambda lets run on. */
    private final ExecutorService invocations;

    private HttpGateway(List<RouteSpec> routeSpecs, FunctionInvoker functions, BooleanSupplier healthy,
                        String accountId, Duration integrationTimeout) {
        this.routes = new RouteTable(routeSpecs);
        this.functions = functions;
        this.healthy = healthy;
        this.accountId = accountId;
        this.integrationTimeout = integrationTimeout;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, SigningKeys> keysByIssuer = new HashMap<>();
        Map<JwtAuthorizerSpec, JwtAuthorizer> byAuthorizer = new HashMap<>();
        for (RouteSpec spec : routeSpecs) {
            String key = Route.parse(spec.routeKey(), spec.functionName()).routeKey();
            specs.put(key, spec);
            spec.authorizer().ifPresent(authorizer -> authorizers.put(key, byAuthorizer.computeIfAbsent(authorizer,
                    a -> new JwtAuthorizer(a, keysByIssuer.computeIfAbsent(a.issuer(),
                            issuer -> new SigningKeys(issuer, http, Clock.systemUTC())), Clock.systemUTC()))));
        }
        AtomicInteger threads = new AtomicInteger();
        this.invocations = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gateway-invoke-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Serves {@code routes} on {@code server} (which the caller starts and closes) with HTTP APIs' 30 s
     * integration timeout. {@code healthy} answers {@code GET /healthz}: true once every function has initialised.
     *
     * @throws IllegalArgumentException for a malformed route or a JWT issuer that is not https (or http on loopback)
     */
    public static HttpGateway serve(LoopbackServer server, List<RouteSpec> routes, FunctionInvoker functions,
                                    BooleanSupplier healthy, String accountId) {
        return serve(server, routes, functions, healthy, accountId, DEFAULT_INTEGRATION_TIMEOUT);
    }

    /**
     * As {@link #serve(LoopbackServer, List, FunctionInvoker, BooleanSupplier, String)}, answering 503 for an
     * invocation that takes longer than {@code integrationTimeout} (or its route's shorter timeout).
     */
    public static HttpGateway serve(LoopbackServer server, List<RouteSpec> routes, FunctionInvoker functions,
                                    BooleanSupplier healthy, String accountId, Duration integrationTimeout) {
        HttpGateway gateway = new HttpGateway(routes, functions, healthy, accountId, integrationTimeout);
        server.handle("/", gateway::handle);
        return gateway;
    }

    /** One line per route, most specific first: {@code GET /v1/links/{code} -> links-api}. */
    public List<String> describeRoutes() {
        return routes.routes().stream().map(route -> route.routeKey() + " -> " + route.functionName()
                + (authorizers.containsKey(route.routeKey())
                        ? " (JWT " + authorizers.get(route.routeKey()).name() + ")" : "")).toList();
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
        String routeKey = match.get().route().routeKey();
        RouteSpec spec = specs.get(routeKey);
        JwtAuthorizer.Authorized authorized = null;
        JwtAuthorizer authorizer = authorizers.get(routeKey);
        if (authorizer != null) {
            JwtAuthorizer.Outcome outcome = authorizer.authorize(HttpApiEvent.headers(request),
                    HttpApiEvent.queryParameters(request.rawQuery()), spec.authorizationScopes());
            if (outcome.refused().isPresent()) {
                JwtAuthorizer.Refused refused = outcome.refused().get();
                LOG.debug("{} {}: {} by authorizer {}", method, rawPath, refused.status(), authorizer.name());
                refused.wwwAuthenticate().ifPresent(value -> exchange.replyHeaders().set("www-authenticate", value));
                exchange.replyJson(refused.status(), refused.body());
                return;
            }
            authorized = outcome.authorized().orElseThrow();
        }
        HttpApiEvent.Context context = new HttpApiEvent.Context(accountId, API_ID, requestId, Instant.now());
        byte[] event = JSON.writeValueAsBytes(HttpApiEvent.of(match.get(), request, context, authorized));
        if (event.length > MAX_EVENT_BYTES) {
            // Lambda refuses the invocation; API Gateway answers as for a body over its own limit.
            LOG.debug("{} {}: event of {} bytes is over Lambda's limit", method, rawPath, event.length);
            exchange.replyJson(413, "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        String function = match.get().route().functionName();
        Duration timeout = Duration.ofMillis(Math.min(spec.timeoutMillis(), integrationTimeout.toMillis()));
        byte[] result;
        try {
            result = invoke(function, event, timeout);
        } catch (TimeoutException e) {
            // The invocation runs on in Lambda until the function's own timeout; only the gateway stops waiting.
            LOG.info("{} {} -> {}: no response within the integration timeout of {} ms", method, rawPath, function,
                    timeout.toMillis());
            exchange.replyJson(503, "{\"message\":\"Service Unavailable\"}");
            return;
        } catch (FunctionInvoker.FunctionError e) {
            if ("TooManyRequestsException".equals(e.errorType())) {
                // Lambda throttled the invocation: HTTP APIs answer as for any other invocation error, a 500.
                LOG.info("{} {} -> {}: throttled by Lambda ({})", method, rawPath, function, e.getMessage());
            } else {
                LOG.debug("{} {} -> {}: function error {} {}", method, rawPath, function, e.errorType(),
                        e.getMessage());
            }
            exchange.replyJson(500, INTERNAL_ERROR);
            return;
        } catch (IllegalArgumentException e) {
            // A route to a function the Lambda service does not have.
            LOG.warn("{} {} -> {}: {}", method, rawPath, function, e.getMessage());
            exchange.replyJson(500, INTERNAL_ERROR);
            return;
        }
        if (result.length > MAX_RESULT_BYTES) {
            // Lambda fails such an invocation (Function.ResponseSizeTooLarge).
            LOG.warn("{} {} -> {}: response of {} bytes is over Lambda's limit of {}", method, rawPath, function,
                    result.length, MAX_RESULT_BYTES);
            exchange.replyJson(500, INTERNAL_ERROR);
            return;
        }
        HttpApiResponse response;
        try {
            response = HttpApiResponse.of(result);
        } catch (HttpApiResponse.Malformed e) {
            LOG.warn("{} {} -> {}: {}", method, rawPath, function, e.getMessage());
            exchange.replyJson(500, INTERNAL_ERROR);
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

    private byte[] invoke(String function, byte[] event, Duration timeout)
            throws FunctionInvoker.FunctionError, TimeoutException, IOException {
        CompletableFuture<byte[]> invocation = CompletableFuture.supplyAsync(() -> {
            try {
                return functions.invoke(function, event);
            } catch (FunctionInvoker.FunctionError e) {
                throw new CompletionException(e);
            }
        }, invocations);
        try {
            return invocation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + function);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException wrapped ? wrapped.getCause() : e.getCause();
            if (cause instanceof FunctionInvoker.FunctionError error) {
                throw error;
            }
            if (cause instanceof IllegalArgumentException illegal) {
                throw illegal;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
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
