package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API of the rules table, and how soon ratelimit-api follows what it changes. */
class RulesIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    /** The issue's promise: a changed rule applies within 5 s. */
    private static final Duration APPLIES_WITHIN = Duration.ofSeconds(5);

    private static Api api;
    private static String admin;
    private static String someoneElse;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        admin = api.issueKey(Cloud.ADMIN_OWNER);
        someoneElse = api.issueKey("mallory");
    }

    @Test
    void aRuleIsCreatedReadReplacedAndDeletedAndChecksFollowWithinFiveSeconds() {
        String id = Api.unique("login");
        String path = "/v1/ratelimit/rules/" + id;

        HttpResponse<String> created = api.put(admin, path, "{\"algorithm\":\"sliding_window\",\"limit\":5,"
                + "\"windowSeconds\":60,\"keyBy\":[\"ip\"],\"route\":\"POST /v1/login\",\"failMode\":\"closed\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode rule = Api.json(created);
        assertThat(rule.path("id").asText()).isEqualTo(id);
        assertThat(rule.path("algorithm").asText()).isEqualTo("sliding_window");
        assertThat(rule.path("failMode").asText()).isEqualTo("closed");
        assertThat(rule.path("source").asText()).isEqualTo("table");
        HttpResponse<String> applied = Api.pollUntil(APPLIES_WITHIN, () -> api.check(admin, id, "198.51.100.7"),
                r -> r.statusCode() == 200);
        assertThat(applied.statusCode()).as("a new rule applies within 5 s: " + applied.body()).isEqualTo(200);
        assertThat(applied.headers().firstValue("x-ratelimit-limit")).hasValue("5");

        HttpResponse<String> read = api.get(admin, path);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Api.json(read)).isEqualTo(rule);

        HttpResponse<String> replaced = api.put(admin, path, "{\"algorithm\":\"sliding_window\",\"limit\":50,\"windowSeconds\":60}");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(Api.json(api.get(admin, path)).path("limit").asLong()).isEqualTo(50);
        HttpResponse<String> changed = Api.pollUntil(APPLIES_WITHIN, () -> api.check(admin, id, "198.51.100.7"),
                r -> r.headers().firstValue("x-ratelimit-limit").orElse("").equals("50"));
        assertThat(changed.headers().firstValue("x-ratelimit-limit")).as("a changed rule applies within 5 s")
                .hasValue("50");

        HttpResponse<String> deleted = api.delete(admin, path);
        assertThat(deleted.statusCode()).isEqualTo(204);
        HttpResponse<String> gone = Api.pollUntil(APPLIES_WITHIN, () -> api.check(admin, id, "198.51.100.7"),
                r -> r.statusCode() == 404);
        assertThat(gone.statusCode()).as("a deleted rule is gone within 5 s: " + gone.body()).isEqualTo(404);
        assertThat(api.get(admin, path).statusCode()).isEqualTo(404);
        assertThat(api.delete(admin, path).statusCode()).isEqualTo(404);
    }

    @Test
    void aBadRuleIsRefusedWithEveryFieldNamed() {
        HttpResponse<String> response = api.put(admin, "/v1/ratelimit/rules/" + Api.unique("bad"),
                "{\"algorithm\":\"leaky_bucket\",\"limit\":0,\"windowSeconds\":\"60\",\"keyBy\":[\"apiKey\",\"country\"],"
                        + "\"route\":\"links\",\"failMode\":\"sometimes\",\"shadow\":\"no\",\"colour\":\"red\"}");

        JsonNode problem = Api.problem(response, 400);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("algorithm", "limit", "windowSeconds", "keyBy[1]", "route", "failMode",
                        "shadow", "colour");
        assertThat(problem.path("errors")).allSatisfy(e -> assertThat(e.path("message").asText()).isNotBlank());

        HttpResponse<String> burstOnAWindow = api.put(admin, "/v1/ratelimit/rules/" + Api.unique("bad"),
                "{\"algorithm\":\"fixed_window\",\"limit\":10,\"windowSeconds\":60,\"burst\":5}");
        assertThat(burstOnAWindow.statusCode()).isEqualTo(400);
        assertThat(Api.json(burstOnAWindow).path("errors").get(0).path("field").asText()).isEqualTo("burst");

        HttpResponse<String> otherId = api.put(admin, "/v1/ratelimit/rules/" + Api.unique("a"),
                "{\"id\":\"b\",\"algorithm\":\"gcra\",\"limit\":10,\"windowSeconds\":60}");
        assertThat(otherId.statusCode()).isEqualTo(400);
        assertThat(Api.json(otherId).path("errors").get(0).path("field").asText()).isEqualTo("id");

        HttpResponse<String> badId = api.put(admin, "/v1/ratelimit/rules/-starts-with-a-dash",
                "{\"algorithm\":\"gcra\",\"limit\":10,\"windowSeconds\":60}");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(Api.json(badId).path("errors").get(0).path("field").asText()).isEqualTo("id");
    }

    @Test
    void configuredRulesCanBeReadButNotChanged() {
        String path = "/v1/ratelimit/rules/" + Cloud.CONFIGURED_RULE;
        HttpResponse<String> read = api.get(admin, path);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Api.json(read).path("source").asText()).isEqualTo("configuration");
        assertThat(Api.json(read).path("limit").asLong()).isEqualTo(1_000_000);

        assertThat(api.put(admin, path, "{\"algorithm\":\"gcra\",\"limit\":1,\"windowSeconds\":60}").statusCode())
                .isEqualTo(409);
        assertThat(api.delete(admin, path).statusCode()).isEqualTo(409);
    }

    @Test
    void theAdminApiNeedsAnAdminsApiKey() {
        String path = "/v1/ratelimit/rules/" + Api.unique("any");
        String rule = "{\"algorithm\":\"gcra\",\"limit\":10,\"windowSeconds\":60}";

        HttpResponse<String> anonymous = api.put(null, path, rule);
        Api.problem(anonymous, 401);
        assertThat(api.get(null, path).statusCode()).isEqualTo(401);
        assertThat(api.delete(null, path).statusCode()).isEqualTo(401);
        assertThat(api.put("bk_not-a-real-key-at-all-000000", path, rule).statusCode()).isEqualTo(401);

        assertThat(api.put(someoneElse, path, rule).statusCode()).as("not an admin owner").isEqualTo(403);
        assertThat(api.get(someoneElse, path).statusCode()).isEqualTo(403);
        assertThat(api.get(admin, path).statusCode()).as("nothing was written").isEqualTo(404);
    }
}
