package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.ApiFuzz;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every route of the shortener given hostile bodies and paths (see {@link ApiFuzz}): only 2xx/3xx or a 4xx problem,
 * never a 5xx; a refused creation wrote nothing, an accepted one reads back and redirects. Creations and redirects
 * come from loopback addresses of their own, so that the per-IP budgets of the module's other tests are not spent.
 */
class FuzzIT {

    private static final LocalCloudExtension CLOUD = Cloud.extension();
    private static final String CREATOR_IP = "127.0.98.1";
    private static final String VISITOR_IP = "127.0.98.2";

    private static Api api;
    private static String key;
    private static String knownCode;

    @BeforeContainer
    static void keyAndOneLink() {
        api = new Api(CLOUD);
        key = api.issueKey("fuzz");
        knownCode = api.created(key, "{\"url\":\"https://example.com/fuzz\"}").path("code").asText();
    }

    @AfterContainer
    static void report() {
        System.out.println(ApiFuzz.report());
    }

    @Property
    void creatingALink(@ForAll("linkBodies") String body) {
        long writes = CLOUD.dynamoDbRequests(Cloud.TABLE, "PutItem");
        Api.RawAnswer answer = api.createFrom(CREATOR_IP, key, body);
        JsonNode link = ApiFuzz.check("POST /v1/links", answer.status(),
                answer.headers().getOrDefault("content-type", ""), answer.body());
        if (answer.status() >= 400) {
            assertThat(CLOUD.dynamoDbRequests(Cloud.TABLE, "PutItem")).as("writes after a %d", answer.status())
                    .isEqualTo(writes);
        } else {
            HttpResponse<String> readBack = api.get(key, "/v1/links/" + link.path("code").asText());
            assertThat(readBack.statusCode()).as("reading back %s", link).isEqualTo(200);
            assertThat(Api.json(readBack).path("url").asText()).isEqualTo(link.path("url").asText());
        }
    }

    @Property
    void managingLinks(@ForAll("codes") String code, @ForAll("manageRoutes") String route) {
        if (route.startsWith("DELETE") && code.equals(knownCode)) {
            route = "GET /v1/links/{code}"; // the one known link stays, for the redirect property
        }
        String path = route.substring(route.indexOf(' ') + 1).replace("{code}", code);
        ApiFuzz.check(route, route.startsWith("DELETE") ? api.delete(key, path) : api.get(key, path));
    }

    @Property
    void following(@ForAll("codes") String code) {
        Api.RawAnswer answer = api.redirectFrom(VISITOR_IP, code);
        ApiFuzz.check("GET /{code}", answer.status(), answer.headers().getOrDefault("content-type", ""), answer.body());
        if (code.equals(knownCode) && answer.status() != 429) {
            assertThat(answer.status()).isEqualTo(302);
            assertThat(answer.headers().get("location")).isEqualTo("https://example.com/fuzz");
        }
    }

    @Provide
    Arbitrary<String> linkBodies() {
        return Arbitraries.oneOf(ApiFuzz.bodies("url", "alias", "expiresAt", "maxVisits", "tags"),
                ApiFuzz.mutationsOf("{\"url\":\"https://example.com/fuzz-m\",\"expiresAt\":\"2031-01-01T00:00:00Z\","
                        + "\"maxVisits\":5,\"tags\":[\"a\",\"b\"]}"));
    }

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.oneOf(Arbitraries.just(knownCode), ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> manageRoutes() {
        return Arbitraries.of("GET /v1/links/{code}", "DELETE /v1/links/{code}", "GET /v1/links/{code}/stats");
    }
}
