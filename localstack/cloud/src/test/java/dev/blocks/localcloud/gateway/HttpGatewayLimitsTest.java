package dev.blocks.localcloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.RouteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What API Gateway answers when the invocation itself goes wrong: a timeout, a throttle, a payload over Lambda's
 * limits, a result that is no response. The Lambda side is a stand-in {@link FunctionInvoker} that behaves per
 * function name, so that each case is immediate and the test can see whether an invocation happened.
 */
class HttpGatewayLimitsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowFinished = new CountDownLatch(1);
    private LoopbackServer server;

    private final FunctionInvoker stub = (function, payload) -> {
        invocations.computeIfAbsent(function, f -> new AtomicInteger()).incrementAndGet();
        switch (function) {
            case "slow" -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowFinished.countDown();
                return "{\"statusCode\":200,\"body\":\"late\"}".getBytes(StandardCharsets.UTF_8);
            }
            case "throttled" -> throw new FunctionInvoker.FunctionError("TooManyRequestsException", "Rate Exceeded.",
                    "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}".getBytes(StandardCharsets.UTF_8));
            case "huge" -> {
                return ("{\"statusCode\":200,\"body\":\"" + "a".repeat(HttpGateway.MAX_RESULT_BYTES) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case "text" -> {
                return "hello".getBytes(StandardCharsets.UTF_8);
            }
            case "string" -> {
                return "\"hello\"".getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return "{\"statusCode\":204}".getBytes(StandardCharsets.UTF_8);
            }
        }
    };

    private void start(Duration integrationTimeout, RouteSpec... routes) throws Exception {
        server = new LoopbackServer("gateway", 0);
        HttpGateway.serve(server, List.of(routes), stub, () -> true, "000000000000", integrationTimeout);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answers503AfterTheIntegrationTimeoutWhileTheInvocationRunsOn() throws Exception {
        start(Duration.ofSeconds(1), new RouteSpec("GET /slow", "slow"));

        long started = System.nanoTime();
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/slow")).GET());
        long waitedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(body(response)).isEqualTo("{\"message\":\"Service Unavailable\"}");
        assertThat(waitedMillis).isBetween(900L, 10_000L);
        // The gateway stopped waiting; the invocation did not stop.
        assertThat(slowFinished.getCount()).isEqualTo(1);
        release.countDown();
        assertThat(slowFinished.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void honoursARoutesShorterIntegrationTimeout() throws Exception {
        start(Duration.ofSeconds(30), new RouteSpec("GET /slow", "slow", Optional.empty(), List.of(), 500));

        long started = System.nanoTime();
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/slow")).GET());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void answersAThrottledInvocationAsAnInternalServerError() throws Exception {
        start(Duration.ofSeconds(30), new RouteSpec("GET /throttled", "throttled"));

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/throttled")).GET());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(body(response)).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(invocations.get("throttled")).hasValue(1);
    }

    @Test
    void refusesAnEventOverSixMegabytesWithoutInvoking() throws Exception {
        start(Duration.ofSeconds(30), new RouteSpec("POST /upload", "ok"));
        // 4.8 MB of binary becomes 6.4 MB of base64 in the event: under HTTP API's 10 MB, over Lambda's 6 MB.
        byte[] binary = new byte[4_800_000];

        HttpResponse<byte[]> tooLarge = send(HttpRequest.newBuilder(uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)));
        HttpResponse<byte[]> fits = send(HttpRequest.newBuilder(uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4_000_000])));

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(body(tooLarge)).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        assertThat(fits.statusCode()).isEqualTo(204);
        assertThat(invocations.get("ok")).hasValue(1);
    }

    @Test
    void answers500ForAResultOverLambdasResponseLimit() throws Exception {
        start(Duration.ofSeconds(30), new RouteSpec("GET /huge", "huge"));

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/huge")).GET());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(body(response)).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void infersA200FromAJsonStringAndRefusesAResultThatIsNotJson() throws Exception {
        start(Duration.ofSeconds(30), new RouteSpec("GET /string", "string"), new RouteSpec("GET /text", "text"));

        HttpResponse<byte[]> string = send(HttpRequest.newBuilder(uri("/string")).GET());
        HttpResponse<byte[]> text = send(HttpRequest.newBuilder(uri("/text")).GET());

        assertThat(string.statusCode()).isEqualTo(200);
        assertThat(string.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(body(string)).isEqualTo("hello");
        assertThat(text.statusCode()).isEqualTo(500);
        assertThat(body(text)).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    private URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
