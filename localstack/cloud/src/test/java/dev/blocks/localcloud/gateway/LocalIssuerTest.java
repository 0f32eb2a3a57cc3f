package dev.blocks.localcloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import dev.blocks.localcloud.spec.RouteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local cloud's own issuer mints tokens its gateway's authorizer accepts, through discovery and key set. */
class LocalIssuerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aMintedTokenPassesTheAuthorizerOfARouteThatNamesThePlaceholder() throws Exception {
        try (LoopbackServer admin = new LoopbackServer("admin", 0)) {
            LocalIssuer issuer = LocalIssuer.serve(admin);
            admin.start();
            RouteSpec route = new RouteSpec("GET /x", "f", Optional.of(new JwtAuthorizerSpec("jwt",
                    List.of("$request.header.Authorization"), LocalIssuer.PLACEHOLDER, List.of("my-api"))),
                    List.of(), RouteSpec.DEFAULT_TIMEOUT_MILLIS);
            JwtAuthorizerSpec resolved = issuer.resolve(List.of(route)).get(0).authorizer().orElseThrow();
            assertThat(resolved.issuer()).isEqualTo(admin.url() + "/issuer");

            HttpResponse<String> minted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(admin.url() + "/issuer/tokens"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sub\":\"alice\",\"aud\":\"my-api\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).isEqualTo(200);
            String token = JSON.readTree(minted.body()).path("token").asText();

            HttpClient http = HttpClient.newHttpClient();
            JwtAuthorizer authorizer = new JwtAuthorizer(resolved,
                    new SigningKeys(resolved.issuer(), http, Clock.systemUTC()), Clock.systemUTC());
            JwtAuthorizer.Outcome outcome = authorizer.authorize(Map.of("authorization", "Bearer " + token), Map.of(),
                    List.of());
            assertThat(outcome.refused()).isEmpty();
            assertThat(outcome.authorized().orElseThrow().claims())
                    .containsEntry("sub", "alice").containsEntry("iss", resolved.issuer());

            String foreign = issuer.mint(JSON.readTree("{\"sub\":\"alice\",\"aud\":\"other\"}"));
            assertThat(authorizer.authorize(Map.of("authorization", "Bearer " + foreign), Map.of(), List.of())
                    .refused()).isPresent();
        }
    }
}
