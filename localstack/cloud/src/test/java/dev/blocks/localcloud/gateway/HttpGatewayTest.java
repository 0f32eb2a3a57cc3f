package dev.blocks.localcloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.lambda.LambdaService;
import dev.blocks.localcloud.lambda.LambdaSettings;
import dev.blocks.localcloud.lambda.TestFunctions;
import dev.blocks.localcloud.spec.RouteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;
    private static LoopbackServer server;
    private static LambdaService lambda;

    @BeforeAll
    static void start() throws Exception {
        server = new LoopbackServer("gateway", 0);
        lambda = LambdaService.start(List.of(
                        TestFunctions.function("echo-event", "GatewayEchoHandler", 10, 0, Map.of()),
                        TestFunctions.function("plain", "GatewayEchoHandler::plain", 10, 0, Map.of()),
                        TestFunctions.function("fail", "FailingHandler", 10, 0, Map.of())),
                TestFunctions.settings(dir, TestFunctions.endpoints(server.url(), null)));
        HttpGateway.serve(server, List.of(
                new RouteSpec("GET /v1/links/{code}", "echo-event"),
                new RouteSpec("GET /v1/links/special", "plain"),
                new RouteSpec("ANY /files/{proxy+}", "echo-event"),
                new RouteSpec("POST /boom", "fail")), lambda, lambda::initialised, LambdaSettings.ACCOUNT_ID);
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        lambda.close();
        assertThat(OwnedProcesses.awaitNone(lambda.settings().owner(), Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void buildsThePayload2EventFromTheRequest() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/v1/links/ab%20c?x=1&x=2&y=&z=a%2Bb"))
                .header("Cookie", "session=abc; theme=dark")
                .header("X-Multi", "one")
                .header("X-Multi", "two")
                .header("User-Agent", "gateway-test/1.0")
                .GET());

        JsonNode event = JSON.readTree(response.body());
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("GET /v1/links/{code}");
        assertThat(event.path("rawPath").asText()).isEqualTo("/v1/links/ab%20c");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1&x=2&y=&z=a%2Bb");
        assertThat(event.path("pathParameters").path("code").asText()).isEqualTo("ab c");
        assertThat(JSON.convertValue(event.path("queryStringParameters"), Map.class))
                .isEqualTo(Map.of("x", "1,2", "y", "", "z", "a+b"));
        assertThat(JSON.convertValue(event.path("cookies"), List.class)).containsExactly("session=abc", "theme=dark");
        JsonNode headers = event.path("headers");
        assertThat(headers.has("cookie")).isFalse();
        assertThat(headers.path("x-multi").asText()).isEqualTo("one,two");
        assertThat(headers.path("user-agent").asText()).isEqualTo("gateway-test/1.0");
        assertThat(headers.path("host").asText()).isEqualTo("127.0.0.1:" + server.port());
        headers.fieldNames().forEachRemaining(name -> assertThat(name).isLowerCase());
        JsonNode context = event.path("requestContext");
        assertThat(context.path("accountId").asText()).isEqualTo("000000000000");
        assertThat(context.path("apiId").asText()).isNotBlank();
        assertThat(context.path("domainName").asText()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(context.path("domainPrefix").asText()).isEqualTo("127");
        assertThat(context.path("http").path("method").asText()).isEqualTo("GET");
        assertThat(context.path("http").path("path").asText()).isEqualTo("/v1/links/ab%20c");
        assertThat(context.path("http").path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(context.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.path("http").path("userAgent").asText()).isEqualTo("gateway-test/1.0");
        assertThat(context.path("requestId").asText()).isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(context.path("routeKey").asText()).isEqualTo("GET /v1/links/{code}");
        assertThat(context.path("stage").asText()).isEqualTo("$default");
        assertThat(context.path("time").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(context.path("timeEpoch").asLong()).isPositive();
        assertThat(event.has("body")).isFalse();
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void mapsTheStructuredResponseIgnoringMultiValueHeaders() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/v1/links/abc")).GET());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-echo")).hasValue("yes");
        // The function also sets multiValueHeaders x-multi: format 2.0 has no such field, so no such header.
        assertThat(response.headers().allValues("x-multi")).isEmpty();
        assertThat(response.headers().allValues("set-cookie")).containsExactly("session=abc; Path=/", "theme=dark");
    }

    @Test
    void passesFormBodiesAndBodiesWithoutContentTypeAsBase64() throws Exception {
        String form = "name=zo%C3%AB&tags=a&tags=b";
        HttpResponse<byte[]> formResponse = send(HttpRequest.newBuilder(uri("/files/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        HttpResponse<byte[]> untyped = send(HttpRequest.newBuilder(uri("/files/untyped"))
                .POST(HttpRequest.BodyPublishers.ofString("plain words")));
        HttpResponse<byte[]> plain = send(HttpRequest.newBuilder(uri("/files/plain"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("plain words")));

        JsonNode formEvent = JSON.readTree(formResponse.body());
        assertThat(formEvent.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(formEvent.path("body").asText()), StandardCharsets.UTF_8))
                .isEqualTo(form);
        JsonNode untypedEvent = JSON.readTree(untyped.body());
        assertThat(untypedEvent.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(untypedEvent.path("body").asText()))
                .isEqualTo("plain words".getBytes(StandardCharsets.UTF_8));
        JsonNode plainEvent = JSON.readTree(plain.body());
        assertThat(plainEvent.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(plainEvent.path("body").asText()).isEqualTo("plain words");
    }

    @Test
    void appendsTheConnectionsAddressToAForwardedForItDoesNotTrust() throws Exception {
        HttpResponse<byte[]> forged = send(HttpRequest.newBuilder(uri("/v1/links/abc"))
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "443")
                .GET());
        HttpResponse<byte[]> direct = send(HttpRequest.newBuilder(uri("/v1/links/abc")).GET());

        JsonNode forgedEvent = JSON.readTree(forged.body());
        assertThat(forgedEvent.path("headers").path("x-forwarded-for").asText()).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(forgedEvent.path("requestContext").path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(forgedEvent.path("headers").path("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(forgedEvent.path("headers").path("x-forwarded-port").asText())
                .isEqualTo(Integer.toString(server.port()));
        assertThat(JSON.readTree(direct.body()).path("headers").path("x-forwarded-for").asText())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void passesABinaryBodyAsBase64() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/files/a/b%20c/d.bin"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(binary)));

        JsonNode event = JSON.readTree(response.body());
        assertThat(event.path("routeKey").asText()).isEqualTo("ANY /files/{proxy+}");
        assertThat(event.path("pathParameters").path("proxy").asText()).isEqualTo("a/b c/d.bin");
        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(event.path("body").asText())).isEqualTo(binary);
        assertThat(event.path("requestContext").path("http").path("method").asText()).isEqualTo("PUT");
    }

    @Test
    void passesATextBodyAsIs() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/files/doc.json"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"zoë\"}")));

        JsonNode event = JSON.readTree(response.body());
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.path("body").asText()).isEqualTo("{\"name\":\"zoë\"}");
    }

    @Test
    void infersAResponseFromPlainJson() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/v1/links/special")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"plain\":true}");
    }

    @Test
    void answers500ForAFunctionError() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/boom"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void answers404WithoutARoute() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/nowhere")).GET());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void answers413ForABodyOverTenMegabytes() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/files/big"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[HttpGateway.MAX_BODY_BYTES + 1])));

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void reportsHealthyOnceEveryFunctionInitialised() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        do {
            status = send(HttpRequest.newBuilder(uri("/healthz")).GET()).statusCode();
            assertThat(status).isIn(200, 503);
            if (status != 200) {
                Thread.sleep(20);
            }
        } while (status != 200 && System.nanoTime() < deadline);

        assertThat(status).isEqualTo(200);
        assertThat(lambda.initialised()).isTrue();
    }

    private static URI uri(String pathAndQuery) {
        return URI.create(server.url() + pathAndQuery);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
