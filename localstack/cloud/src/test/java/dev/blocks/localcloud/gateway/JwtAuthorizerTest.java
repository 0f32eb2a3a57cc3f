package dev.blocks.localcloud.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.spec.JwtAuthorizerSpec;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The authorizer's decisions one by one, at a time the test sets, against a local issuer. */
class JwtAuthorizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static TestIssuer issuer;

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void rendersEveryClaimAsAString() throws Exception {
        Map<String, String> rendered = JwtAuthorizer.rendered(JSON.readTree("""
                {"sub":"u-1","exp":1787996002,"ratio":0.5,"admin":false,"nothing":null,"groups":["a","b c"],
                 "nested":[[1,2],["x"]],"address":{"zip":"75001","city":"Paris","tags":["t1","t2"]},"empty":[]}"""));

        assertThat(rendered).containsExactly(
                Map.entry("sub", "u-1"), Map.entry("exp", "1787996002"), Map.entry("ratio", "0.5"),
                Map.entry("admin", "false"), Map.entry("nothing", ""), Map.entry("groups", "[a b c]"),
                Map.entry("nested", "[[1 2] [x]]"), Map.entry("address", "map[city:Paris tags:[t1 t2] zip:75001]"),
                Map.entry("empty", "[]"));
    }

    @Test
    void checksExpiryAndNotBeforeAgainstTheClockToTheSecond() throws Exception {
        MovableClock clock = new MovableClock();
        JwtAuthorizer authorizer = authorizer(clock, List.of("$request.header.authorization"));
        Map<String, Object> claims = claims();
        claims.put("nbf", NOW.plusSeconds(10).getEpochSecond());
        claims.put("exp", NOW.plusSeconds(20).getEpochSecond());
        String token = issuer.rs256(claims);

        assertThat(refusal(authorizer, token)).isEqualTo("the token is not valid yet");
        clock.advance(Duration.ofSeconds(10));
        assertThat(authorizer.authorize(Map.of("authorization", token), Map.of(), List.of()).authorized()).isPresent();
        clock.advance(Duration.ofSeconds(10));
        assertThat(refusal(authorizer, token)).isEqualTo("the token has expired");
        Map<String, Object> noExpiry = claims();
        noExpiry.remove("exp");
        assertThat(refusal(authorizer, issuer.rs256(noExpiry))).isEqualTo("the token has no valid expiry");
    }

    @Test
    void acceptsScopesFromAnScpListAndReadsATokenFromTheQueryString() throws Exception {
        JwtAuthorizer authorizer = authorizer(new MovableClock(), List.of("$request.querystring.access_token"));
        Map<String, Object> claims = claims();
        claims.put("scp", List.of("links:read", "links:write"));
        String token = issuer.es256(claims);

        JwtAuthorizer.Outcome outcome = authorizer.authorize(Map.of(), Map.of("access_token", token),
                List.of("links:write"));
        JwtAuthorizer.Outcome forbidden = authorizer.authorize(Map.of(), Map.of("access_token", token),
                List.of("admin"));
        JwtAuthorizer.Outcome missing = authorizer.authorize(Map.of("authorization", "Bearer " + token), Map.of(),
                List.of());

        assertThat(outcome.authorized().orElseThrow().scopes()).containsExactly("links:read", "links:write");
        assertThat(forbidden.refused().orElseThrow().status()).isEqualTo(403);
        assertThat(forbidden.refused().orElseThrow().wwwAuthenticate().orElseThrow())
                .startsWith("Bearer scope=\"admin\" error=\"insufficient_scope\"");
        assertThat(missing.refused().orElseThrow().status()).isEqualTo(401);
        assertThat(missing.refused().orElseThrow().wwwAuthenticate()).isEmpty();
    }

    @Test
    void refusesAlgorithmsOtherThanRs256AndEs256() throws Exception {
        JwtAuthorizer authorizer = authorizer(new MovableClock(), List.of("$request.header.authorization"));
        String header = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(JSON.writeValueAsBytes(claims()));

        assertThat(refusal(authorizer, header + "." + payload + ".")).isEqualTo("signing method none is not supported");
    }

    @Test
    void fetchesTheKeySetAgainForAnUnknownKeyAtMostEveryTenSeconds() throws Exception {
        MovableClock clock = new MovableClock();
        JwtAuthorizer authorizer = authorizer(clock, List.of("$request.header.authorization"));
        String rotatedToken = issuer.rs256WithNextKey(claims());
        assertThat(authorizer.authorize(Map.of("authorization", issuer.rs256(claims())), Map.of(), List.of())
                .authorized()).isPresent();
        int fetches = issuer.keySetFetches();

        issuer.rotate();
        String tooSoon = refusal(authorizer, rotatedToken);
        int fetchesTooSoon = issuer.keySetFetches();
        clock.advance(SigningKeys.REFRESH_INTERVAL);
        JwtAuthorizer.Outcome afterInterval = authorizer.authorize(Map.of("authorization", rotatedToken), Map.of(),
                List.of());

        assertThat(tooSoon).isEqualTo("signature is invalid");
        assertThat(fetchesTooSoon).isEqualTo(fetches);
        assertThat(afterInterval.authorized()).isPresent();
        assertThat(issuer.keySetFetches()).isEqualTo(fetches + 1);
    }

    private static JwtAuthorizer authorizer(Clock clock, List<String> identitySources) {
        JwtAuthorizerSpec spec = new JwtAuthorizerSpec("users", identitySources, issuer.url(), List.of("api"));
        return new JwtAuthorizer(spec, new SigningKeys(issuer.url(), HTTP, clock), clock);
    }

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer.url());
        claims.put("aud", List.of("other", "api"));
        claims.put("sub", "user-1");
        claims.put("exp", NOW.plusSeconds(3600).getEpochSecond());
        return claims;
    }

    /** The error_description of a 401. */
    private static String refusal(JwtAuthorizer authorizer, String token) {
        JwtAuthorizer.Refused refused = authorizer.authorize(Map.of("authorization", token), Map.of(), List.of())
                .refused().orElseThrow();
        assertThat(refused.status()).isEqualTo(401);
        String header = refused.wwwAuthenticate().orElseThrow();
        return header.substring(header.indexOf("error_description=\"") + 19, header.length() - 1);
    }
}
