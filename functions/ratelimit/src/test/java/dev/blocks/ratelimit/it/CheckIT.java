package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /v1/ratelimit/check through the gateway, on the real redis-server of the local cloud. */
class CheckIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String admin;
    private static String service;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        admin = api.issueKey(Cloud.ADMIN_OWNER);
        service = api.issueKey("billing-service");
    }

    @Test
    void allowedUntilTheLimitThenRefusedWithEveryHeaderAndRetryAfter() {
        // No refill worth a unit while the test runs: remaining only moves by checks.
        String rule = Api.unique("per-user");
        api.putRule(admin, rule, "{\"algorithm\":\"token_bucket\",\"limit\":3,\"windowSeconds\":3600}");
        awaitRule(rule);

        for (int expectedRemaining = 2; expectedRemaining >= 0; expectedRemaining--) {
            HttpResponse<String> allowed = api.check(service, rule, "alice");
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode body = Api.json(allowed);
            assertThat(body.path("allowed").asBoolean()).isTrue();
            assertThat(body.path("limit").asLong()).isEqualTo(3);
            assertThat(body.path("remaining").asLong()).isEqualTo(expectedRemaining);
            assertThat(body.path("retryAfter").asLong()).isZero();
            assertThat(body.path("source").asText()).isEqualTo("counted");
            assertThat(body.path("failOpen").asBoolean()).isFalse();
            assertThat(Instant.parse(body.path("resetAt").asText())).isAfter(Instant.now().minusSeconds(60));
            assertThat(allowed.headers().firstValue("x-ratelimit-limit")).hasValue("3");
            assertThat(allowed.headers().firstValue("x-ratelimit-remaining")).hasValue(Integer.toString(expectedRemaining));
            assertThat(allowed.headers().firstValue("x-ratelimit-reset")).isPresent();
            assertThat(allowed.headers().firstValue("ratelimit-policy")).hasValue("\"" + rule + "\";q=3;w=3600");
            assertThat(allowed.headers().firstValue("ratelimit")).get().asString()
                    .startsWith("\"" + rule + "\";r=" + expectedRemaining + ";t=");
            assertThat(allowed.headers().firstValue("retry-after")).isEmpty();
        }

        HttpResponse<String> refused = api.check(service, rule, "alice");
        JsonNode problem = Api.problem(refused, 429);
        assertThat(problem.path("type").asText()).endsWith("/rate-limited");
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("allowed").asBoolean()).isFalse();
        assertThat(problem.path("remaining").asLong()).isZero();
        long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
        // One token comes back every 1200 s.
        assertThat(retryAfter).isBetween(1L, 1200L);
        assertThat(problem.path("retryAfter").asLong()).isEqualTo(retryAfter);
        assertThat(refused.headers().firstValue("x-ratelimit-limit")).hasValue("3");
        assertThat(refused.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
        long reset = Long.parseLong(refused.headers().firstValue("x-ratelimit-reset").orElseThrow());
        assertThat(reset).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(refused.headers().firstValue("ratelimit-policy")).hasValue("\"" + rule + "\";q=3;w=3600");
        assertThat(refused.headers().firstValue("ratelimit")).get().asString().startsWith("\"" + rule + "\";r=0;t=");

        HttpResponse<String> again = api.check(service, rule, "alice");
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(Api.json(again).path("source").asText()).as("refused in process, no Redis call").isEqualTo("remembered");

        HttpResponse<String> otherKey = api.check(service, rule, "bob");
        assertThat(otherKey.statusCode()).as("another key has its own counter").isEqualTo(200);
        assertThat(Api.json(otherKey).path("remaining").asLong()).isEqualTo(2);
    }

    @Test
    void costCountsInUnits() {
        String rule = Api.unique("exports");
        api.putRule(admin, rule, "{\"algorithm\":\"sliding_log\",\"limit\":10,\"windowSeconds\":600}");
        awaitRule(rule);

        HttpResponse<String> big = api.check(service, rule, "tenant-1", 10);
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(Api.json(big).path("remaining").asLong()).isZero();
        assertThat(api.check(service, rule, "tenant-1", 1).statusCode()).isEqualTo(429);
    }

    @Test
    void anUnknownRuleIs404() {
        HttpResponse<String> response = api.check(service, "no-such-rule", "alice");
        Api.problem(response, 404);
        assertThat(Api.json(response).path("detail").asText()).contains("no-such-rule");
    }

    @Test
    void aCostAboveTheRulesLimitIs400() {
        HttpResponse<String> response = api.check(service, Cloud.CONFIGURED_RULE, "alice", 1_000_001);
        JsonNode error = Api.problem(response, 400).path("errors").get(0);
        assertThat(error.path("field").asText()).isEqualTo("cost");
        assertThat(error.path("message").asText()).contains("1000000");

        assertThat(api.check(service, Cloud.CONFIGURED_RULE, "alice", 1_000_000).statusCode())
                .as("exactly the limit can pass").isEqualTo(200);
    }

    @Test
    void aBadBodyIs400WithEveryFieldNamed() {
        HttpResponse<String> response = api.post(service, "/v1/ratelimit/check", "{\"rule\":7,\"cost\":0,\"user\":\"x\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Api.json(response).path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("rule", "key", "cost", "user");
        assertThat(api.post(service, "/v1/ratelimit/check", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void callersWithoutAValidApiKeyAre401() {
        assertThat(api.check(null, Cloud.CONFIGURED_RULE, "alice").statusCode()).isEqualTo(401);
        assertThat(api.check("bk_not-a-real-key-at-all-000000", Cloud.CONFIGURED_RULE, "alice").statusCode())
                .isEqualTo(401);
    }

    /** A new rule applies within the refresh period (3 s): poll with a probe key until it is found. */
    private static void awaitRule(String rule) {
        HttpResponse<String> last = Api.pollUntil(Duration.ofSeconds(10), () -> api.check(service, rule, "probe"),
                r -> r.statusCode() != 404);
        assertThat(last.statusCode()).as(last.body()).isEqualTo(200);
    }
}
