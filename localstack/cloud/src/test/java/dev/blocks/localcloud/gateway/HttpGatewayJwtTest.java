package dev.blocks.localcloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.lambda.LambdaService;
import dev.blocks.localcloud.lambda.LambdaSettings;
import dev.blocks.localcloud.lambda.TestFunctions;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT authorizers end to end: a local issuer (keys made here, discovery and key set served on loopback), tokens
 * signed here, and the echo function, which answers with the event it received.
 */
class HttpGatewayJwtTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String AUDIENCE = "links-api";

    @TempDir
    static Path dir;
    private static TestIssuer issuer;
    private static LoopbackServer server;
    private static LambdaService lambda;
    /** Invocations that reached the Lambda service. */
    private static final AtomicInteger invocations = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        server = new LoopbackServer("gateway", 0);
        lambda = LambdaService.start(List.of(TestFunctions.function("echo-event", "GatewayEchoHandler", 10, 0, Map.of())),
                TestFunctions.settings(dir, TestFunctions.endpoints(server.url(), null)));
        JwtAuthorizerSpec authorizer = new JwtAuthorizerSpec("users", List.of("$request.header.Authorization"),
                issuer.url(), List.of(AUDIENCE, "other-api"));
        FunctionInvoker counting = (function, payload) -> {
            invocations.incrementAndGet();
            return lambda.invoke(function, payload);
        };
        HttpGateway.serve(server, List.of(
                new RouteSpec("GET /me", "echo-event", Optional.of(authorizer), List.of(), 30_000),
                new RouteSpec("POST /links", "echo-event", Optional.of(authorizer), List.of("links:write", "admin"),
                        30_000),
                new RouteSpec("GET /open", "echo-event")), counting, lambda::initialised, LambdaSettings.ACCOUNT_ID);
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        lambda.close();
        issuer.close();
        assertThat(OwnedProcesses.awaitNone(lambda.settings().owner(), Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void passesTheClaimsOfAValidTokenToTheFunctionAsStrings() throws Exception {
        Map<String, Object> claims = claims(AUDIENCE);
        claims.put("sub", "user-42");
        claims.put("groups", List.of("admin", "editors"));
        claims.put("email_verified", true);
        claims.put("tenant", Map.of("id", "t-1", "plan", "pro"));

        HttpResponse<byte[]> response = get("/me", "Bearer " + issuer.rs256(claims));

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode jwt = JSON.readTree(response.body()).path("requestContext").path("authorizer").path("jwt");
        JsonNode received = jwt.path("claims");
        assertThat(received.path("sub").asText()).isEqualTo("user-42");
        assertThat(received.path("iss").asText()).isEqualTo(issuer.url());
        assertThat(received.path("aud").asText()).isEqualTo(AUDIENCE);
        assertThat(received.path("exp").isTextual()).isTrue();
        assertThat(received.path("exp").asText()).isEqualTo(claims.get("exp").toString());
        assertThat(received.path("groups").asText()).isEqualTo("[admin editors]");
        assertThat(received.path("email_verified").asText()).isEqualTo("true");
        assertThat(received.path("tenant").asText()).isEqualTo("map[id:t-1 plan:pro]");
        received.forEach(value -> assertThat(value.isTextual()).isTrue());
        // A route without authorization scopes: API Gateway sends scopes as null.
        assertThat(jwt.has("scopes")).isTrue();
        assertThat(jwt.path("scopes").isNull()).isTrue();
    }

    @Test
    void acceptsAnEs256TokenAndAClientIdInPlaceOfAnAudience() throws Exception {
        Map<String, Object> claims = claims(null);
        claims.put("client_id", "other-api");

        HttpResponse<byte[]> response = get("/me", issuer.es256(claims));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).path("requestContext").path("authorizer").path("jwt")
                .path("claims").path("client_id").asText()).isEqualTo("other-api");
    }

    @Test
    void requiresOneOfTheRoutesScopesAndPassesTheTokensScopes() throws Exception {
        Map<String, Object> writer = claims(AUDIENCE);
        writer.put("scope", "links:read links:write");
        Map<String, Object> reader = claims(AUDIENCE);
        reader.put("scope", "links:read");

        HttpResponse<byte[]> allowed = post("/links", "Bearer " + issuer.rs256(writer));
        int before = invocations.get();
        HttpResponse<byte[]> forbidden = post("/links", "Bearer " + issuer.rs256(reader));

        assertThat(allowed.statusCode()).isEqualTo(201);
        assertThat(JSON.convertValue(JSON.readTree(allowed.body()).path("requestContext").path("authorizer")
                .path("jwt").path("scopes"), List.class)).containsExactly("links:read", "links:write");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(body(forbidden)).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(forbidden.headers().firstValue("www-authenticate").orElseThrow()).contains("insufficient_scope");
        assertThat(invocations.get()).isEqualTo(before);
    }

    @Test
    void refusesBadTokensWith401WithoutInvokingTheFunction() throws Exception {
        Map<String, Object> expired = claims(AUDIENCE);
        expired.put("exp", Instant.now().minusSeconds(60).getEpochSecond());
        Map<String, Object> early = claims(AUDIENCE);
        early.put("nbf", Instant.now().plusSeconds(300).getEpochSecond());
        Map<String, Object> otherIssuer = claims(AUDIENCE);
        otherIssuer.put("iss", issuer.url() + "/other");
        Map<String, Object> noAudienceAtAll = claims(null);
        // aud decides when present, even if client_id would match.
        Map<String, Object> wrongAudience = claims("someone-else");
        wrongAudience.put("client_id", AUDIENCE);
        int before = invocations.get();

        assertRefused(get("/me", "Bearer " + issuer.forged(claims(AUDIENCE))), "signature is invalid");
        assertRefused(get("/me", "Bearer " + issuer.rs256(wrongAudience)), "the token does not have a valid audience");
        assertRefused(get("/me", "Bearer " + issuer.rs256(noAudienceAtAll)), "the token does not have a valid audience");
        assertRefused(get("/me", "Bearer " + issuer.rs256(expired)), "the token has expired");
        assertRefused(get("/me", "Bearer " + issuer.rs256(early)), "the token is not valid yet");
        assertRefused(get("/me", "Bearer " + issuer.rs256(otherIssuer)), "the token does not have a valid issuer");
        assertRefused(get("/me", "Bearer not-a-jwt"), "the token is not a valid JWT");
        String tampered = issuer.rs256(claims(AUDIENCE));
        String[] parts = tampered.split("\\.");
        String elevated = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                JSON.writeValueAsBytes(Map.of("iss", issuer.url(), "aud", AUDIENCE, "sub", "admin",
                        "exp", Instant.now().plusSeconds(600).getEpochSecond())));
        assertRefused(get("/me", "Bearer " + parts[0] + "." + elevated + "." + parts[2]), "signature is invalid");

        HttpResponse<byte[]> missing = get("/me", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(body(missing)).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(invocations.get()).isEqualTo(before);
    }

    @Test
    void leavesOpenRoutesOpenAndCachesTheIssuersKeys() throws Exception {
        assertThat(get("/open", null).statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(get("/open", null).body()).path("requestContext").has("authorizer")).isFalse();

        get("/me", issuer.rs256(claims(AUDIENCE)));
        int fetches = issuer.keySetFetches();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/me", issuer.rs256(claims(AUDIENCE))).statusCode()).isEqualTo(201);
        }
        assertThat(fetches).isPositive();
        assertThat(issuer.keySetFetches()).isEqualTo(fetches);
    }

    @Test
    void refusesAnIssuerOverPlainHttpUnlessItIsOnLoopback() {
        assertThatThrownBy(() -> SigningKeys.checkedIssuer("http://issuer.internal:8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThat(SigningKeys.checkedIssuer("http://127.0.0.1:9000").getPort()).isEqualTo(9000);
        assertThat(SigningKeys.checkedIssuer("https://issuer.example/tenant").getPath()).isEqualTo("/tenant");
    }

    private static Map<String, Object> claims(String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.url());
        if (audience != null) {
            claims.put("aud", audience);
        }
        claims.put("iat", Instant.now().getEpochSecond());
        claims.put("exp", Instant.now().plusSeconds(600).getEpochSecond());
        return claims;
    }

    private static void assertRefused(HttpResponse<byte[]> response, String description) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(body(response)).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(response.headers().firstValue("www-authenticate")).hasValue(
                "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\"");
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> get(String path, String authorization) throws Exception {
        return send(request(path, authorization).GET());
    }

    private static HttpResponse<byte[]> post(String path, String authorization) throws Exception {
        return send(request(path, authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private static HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
