package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stack behind an HTTP API JWT authorizer of the local cloud's own issuer: the gateway refuses what has no
 * valid token before any function runs, and the function counts each verified caller (issuer + subject) apart.
 */
class JwtIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension().var("jwt_issuer", "local-cloud://issuer");

    @Test
    void eachVerifiedCallerHasABudgetOfTheirOwnAndNoTokenNeverReachesTheFunction() {
        String alice = token(Map.of("sub", "alice", "aud", "ratelimit-it"));
        String bob = token(Map.of("sub", "bob", "aud", "ratelimit-it"));

        HttpResponse<String> first = check(alice);
        assertThat(first.statusCode()).as(first.body() + " " + first.headers().map()).isEqualTo(200);
        HttpResponse<String> second = check(alice);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(Api.json(second).path("remaining").asLong()).isZero();
        assertThat(check(alice).statusCode()).as("alice's budget of 2 is spent").isEqualTo(429);

        HttpResponse<String> bobs = check(bob);
        assertThat(bobs.statusCode()).as("bob counts apart from alice, though the key is the same").isEqualTo(200);
        assertThat(Api.json(bobs).path("remaining").asLong()).isEqualTo(1);

        // Refused by the gateway itself ({"message":"Unauthorized"}), not by the function (problem+json).
        for (String refused : new String[] {null, "not.a.token",
                token(Map.of("sub", "mallory", "aud", "someone-else")),
                token(Map.of("sub", "mallory", "aud", "ratelimit-it", "exp", 1))}) {
            HttpResponse<String> response = check(refused);
            assertThat(response.statusCode()).as(String.valueOf(refused)).isEqualTo(401);
            assertThat(Api.json(response).path("message").asText()).isEqualTo("Unauthorized");
            assertThat(response.headers().firstValue("content-type").orElse("")).doesNotContain("problem");
        }
    }

    private static HttpResponse<String> check(String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(CLOUD.gatewayUri("/v1/ratelimit/check"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"rule\":\"per-caller\",\"key\":\"shared-key\"}"));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** A token from the local cloud's issuer, as a developer gets one: POST /issuer/tokens on the admin endpoint. */
    private static String token(Map<String, Object> claims) {
        try {
            HttpResponse<String> minted = send(HttpRequest.newBuilder(
                            URI.create(CLOUD.endpoints().admin() + "/issuer/tokens"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(claims))).build());
            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
            return Api.json(minted).path("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
