package dev.blocks.shortener.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The links API and the redirect through the local cloud's gateway, each function in its own Lambda process. */
class LinksIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice");
        bob = api.issueKey("bob");
    }

    private static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aNewLinkRedirectsToTheExactUrl() {
        String url = "https://example.com/a/b%20c?q=1&r=%C3%A9&empty=#frag";
        JsonNode link = api.created(alice, "{\"url\":\"" + url + "\",\"tags\":[\"launch\"]}");

        String code = link.path("code").asText();
        assertThat(code).matches("[0-9A-Za-z]{7}");
        assertThat(link.path("url").asText()).isEqualTo(url);
        assertThat(link.path("shortUrl").asText()).endsWith("/" + code).startsWith("http");
        assertThat(link.path("createdAt").asText()).isNotBlank();
        assertThat(link.path("expiresAt").isNull()).isTrue();
        assertThat(link.path("maxVisits").isNull()).isTrue();

        HttpResponse<String> redirect = api.redirect(code);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("location")).hasValue(url);
        // Answered from the caches the first redirect filled: still the exact URL.
        assertThat(api.redirect(code).headers().firstValue("location")).hasValue(url);

        HttpResponse<String> read = api.get(alice, "/v1/links/" + code);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Api.json(read).path("url").asText()).isEqualTo(url);
        assertThat(Api.json(read).path("tags").get(0).asText()).isEqualTo("launch");
    }

    @Test
    void codesOfConsecutiveLinksAreNotSequential() {
        String first = api.created(alice, "{\"url\":\"https://example.com/1\"}").path("code").asText();
        String second = api.created(alice, "{\"url\":\"https://example.com/2\"}").path("code").asText();
        assertThat(first).isNotEqualTo(second);
        int same = 0;
        for (int i = 0; i < 7; i++) {
            same += first.charAt(i) == second.charAt(i) ? 1 : 0;
        }
        assertThat(same).isLessThan(4);
    }

    @Test
    void anAliasBecomesTheCodeAndCannotBeTakenTwice() {
        String alias = unique("launch");
        JsonNode link = api.created(alice, "{\"url\":\"https://example.com/launch\",\"alias\":\"" + alias + "\"}");
        assertThat(link.path("code").asText()).isEqualTo(alias);
        assertThat(api.redirect(alias).headers().firstValue("location")).hasValue("https://example.com/launch");

        HttpResponse<String> again = api.create(bob, "{\"url\":\"https://example.org/other\",\"alias\":\"" + alias + "\"}");
        Api.problem(again, 409);
        // The first owner's link is untouched.
        assertThat(api.redirect(alias).headers().firstValue("location")).hasValue("https://example.com/launch");
    }

    @Test
    void anAliasThatWasLookedUpBeforeItExistedWorksOnceCreated() {
        String alias = unique("later");
        assertThat(api.redirect(alias).statusCode()).isEqualTo(404);
        api.created(alice, "{\"url\":\"https://example.com/later\",\"alias\":\"" + alias + "\"}");
        HttpResponse<String> redirect = Api.pollUntil(Duration.ofSeconds(10), () -> api.redirect(alias), r -> r.statusCode() == 302);
        assertThat(redirect.statusCode()).isEqualTo(302);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "api", "healthz", "ab", "has space", "slash/es"})
    void reservedOrMalformedAliasesAreRefused(String alias) throws Exception {
        HttpResponse<String> response = api.create(alice, "{\"url\":\"https://example.com\",\"alias\":"
                + Api.JSON.writeValueAsString(alias) + "}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.json(response).path("errors").get(0).path("field").asText()).isEqualTo("alias");
    }

    @Test
    void anExpiredLinkIsGone() {
        String expiresAt = Instant.now().plusSeconds(5).toString();
        JsonNode link = api.created(alice, "{\"url\":\"https://example.com/soon\",\"expiresAt\":\"" + expiresAt + "\"}");
        assertThat(Instant.parse(link.path("expiresAt").asText())).isEqualTo(Instant.parse(expiresAt));
        String code = link.path("code").asText();

        HttpResponse<String> gone = Api.pollUntil(Duration.ofSeconds(30), () -> api.redirect(code), r -> r.statusCode() != 302);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(Instant.now()).isAfterOrEqualTo(Instant.parse(expiresAt));
        assertThat(gone.headers().firstValue("content-type")).hasValue("application/problem+json");
    }

    @Test
    void aLinkWithThreeVisitsIsGoneOnTheFourth() {
        String code = api.created(alice, "{\"url\":\"https://example.com/thrice\",\"maxVisits\":3}").path("code").asText();
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);
        assertThat(api.redirect(code).statusCode()).isEqualTo(410);
        assertThat(api.redirect(code).statusCode()).isEqualTo(410);
    }

    @Test
    void aDeletedLinkStopsRedirectingWithinSeconds() {
        String code = api.created(alice, "{\"url\":\"https://example.com/bye\"}").path("code").asText();
        // Warm every cache layer: the redirect's in-process cache and Redis now both hold the link.
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);
        assertThat(api.redirect(code).statusCode()).isEqualTo(302);

        assertThat(api.delete(bob, "/v1/links/" + code).statusCode()).as("another owner cannot delete").isEqualTo(404);
        assertThat(api.delete(alice, "/v1/links/" + code).statusCode()).isEqualTo(204);

        // In-process copies live 2 s ± 20 %; Redis holds a tombstone at once.
        HttpResponse<String> after = Api.pollUntil(Duration.ofSeconds(6), () -> api.redirect(code), r -> r.statusCode() == 404);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(api.get(alice, "/v1/links/" + code).statusCode()).isEqualTo(404);
        assertThat(api.delete(alice, "/v1/links/" + code).statusCode()).isEqualTo(404);
        // Stays gone once the in-process entry would have lapsed (Redis holds a tombstone, not the link).
        for (int i = 0; i < 5; i++) {
            assertThat(api.redirect(code).statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "http://user:secret@example.com/",
        "http://127.0.0.1/admin",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00:ec2::254]/",
        "https://intranet/",
        "not a url",
        ""
    })
    void unsafeUrlsAreRefusedWithAProblem(String url) throws Exception {
        HttpResponse<String> response = api.create(alice, "{\"url\":" + Api.JSON.writeValueAsString(url) + "}");
        JsonNode problem = Api.problem(response, 400);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("url");
    }

    @Test
    void tooLongUrlsAndLinksToTheShortenerItselfAreRefused() {
        String tooLong = "https://example.com/" + "a".repeat(2048);
        assertThat(api.create(alice, "{\"url\":\"" + tooLong + "\"}").statusCode()).isEqualTo(400);

        // sho.rt is the shortener's public domain in this stack (own_hosts): a link there would loop.
        for (String self : new String[] {"https://sho.rt/abcdefg", "https://EU.sho.rt./x"}) {
            HttpResponse<String> loop = api.create(alice, "{\"url\":\"" + self + "\"}");
            assertThat(loop.statusCode()).isEqualTo(400);
            assertThat(Api.json(loop).path("errors").get(0).path("message").asText()).contains("shortener itself");
        }
    }

    @Test
    void invalidFieldsAreAllReported() {
        HttpResponse<String> response = api.create(alice,
                "{\"url\":42,\"expiresAt\":\"tomorrow\",\"maxVisits\":\"three\",\"tags\":\"x\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.json(response).path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("url", "expiresAt", "maxVisits", "tags");
        assertThat(api.create(alice, "{not json").statusCode()).isEqualTo(400);
        assertThat(api.create(alice, "[]").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownFieldsAreRefusedByNameAndNothingIsWritten() {
        String alias = "strict-" + Long.toHexString(System.nanoTime());
        HttpResponse<String> misspelt = api.create(alice,
                "{\"url\":\"https://example.com/s\",\"alias\":\"" + alias + "\",\"expires\":\"2030-01-01T00:00:00Z\"}");
        Api.problem(misspelt, 400);
        assertThat(Api.json(misspelt).path("errors")).extracting(e -> e.path("field").asText() + " " + e.path("message").asText())
                .containsExactly("expires unknown field");
        HttpResponse<String> duplicate = api.create(alice,
                "{\"url\":\"https://example.com/a\",\"url\":\"https://example.com/b\",\"alias\":\"" + alias + "\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(Api.json(duplicate).path("errors").get(0).path("field").asText()).isEqualTo("url");
        assertThat(api.get(alice, "/v1/links/" + alias).statusCode()).isEqualTo(404);
    }

    @Test
    void managementNeedsAKeyAndShowsOnlyOwnLinks() {
        String code = api.created(alice, "{\"url\":\"https://example.com/mine\"}").path("code").asText();
        HttpResponse<String> anonymous = api.create("", "{\"url\":\"https://example.com\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(api.create("bk_not-a-real-key-0000000000", "{\"url\":\"https://example.com\"}").statusCode()).isEqualTo(401);
        assertThat(api.get(null, "/v1/links/" + code).statusCode()).isEqualTo(401);
        assertThat(api.get(bob, "/v1/links/" + code).statusCode()).isEqualTo(404);
        assertThat(api.get(bob, "/v1/links/" + code + "/stats").statusCode()).isEqualTo(404);
        assertThat(api.get(alice, "/v1/links/" + code).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownCodesAreNotFound() {
        HttpResponse<String> response = api.redirect("zzzzzzz");
        Api.problem(response, 404);
        assertThat(api.redirect("no.such").statusCode()).isEqualTo(404);
    }
}
