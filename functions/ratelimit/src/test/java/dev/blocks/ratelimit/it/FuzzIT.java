package dev.blocks.ratelimit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.ApiFuzz;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every route of the rate-limit API given hostile bodies, paths and headers (see {@link ApiFuzz}): only 2xx or a 4xx
 * problem, never a 5xx. A check never writes the rules table; a refused rule wrote nothing, an accepted one reads
 * back as answered and is deleted again (so that the module's other tests see only their own rules). Prints how many
 * inputs each route was given.
 */
class FuzzIT {

    private static final LocalCloudExtension CLOUD = Cloud.extension();
    private static final String RULES_TABLE = Cloud.PREFIX + "-ratelimit-rules";
    private static final String[] RULE_FIELDS = {"id", "tier", "algorithm", "limit", "windowSeconds", "burst", "keyBy",
        "route", "failMode", "shadow", "shared"};
    /** A rule the API takes: with it, the path's id alone decides, so that odd ids reach the table. */
    private static final String VALID_RULE = "{\"algorithm\":\"token_bucket\",\"limit\":5,\"windowSeconds\":60}";

    private static Api api;
    private static String admin;
    private static String tenant;

    @BeforeContainer
    static void keys() {
        api = new Api(CLOUD);
        admin = api.issueKey(Cloud.ADMIN_OWNER);
        tenant = api.issueKey("fuzz");
    }

    @AfterContainer
    static void report() {
        System.out.println(ApiFuzz.report());
    }

    @Property
    void checking(@ForAll("checkBodies") String body, @ForAll("headers") Map<String, String> headers) {
        long writes = writes();
        ApiFuzz.check("POST /v1/ratelimit/check", send(tenant, "POST", "/v1/ratelimit/check", body, headers));
        assertThat(writes()).as("rules-table writes after a check").isEqualTo(writes);
    }

    @Property
    void puttingRules(@ForAll("ruleIds") String id, @ForAll("ruleBodies") String body,
            @ForAll("headers") Map<String, String> headers, @ForAll boolean asAdmin) {
        long writes = writes();
        String path = "/v1/ratelimit/rules/" + id;
        HttpResponse<String> response = send(asAdmin ? admin : tenant, "PUT", path, body, headers);
        JsonNode rule = ApiFuzz.check("PUT /v1/ratelimit/rules/{id}", response);
        if (response.statusCode() >= 400) {
            assertThat(writes()).as("writes after a %d", response.statusCode()).isEqualTo(writes);
            if (!asAdmin) {
                assertThat(response.statusCode()).as("a tenant managing rules: %s", response.body()).isIn(401, 403, 413, 415);
            }
        } else {
            assertThat(asAdmin).as("only an admin owner may write a rule").isTrue();
            HttpResponse<String> readBack = api.get(admin, path);
            assertThat(readBack.statusCode()).as("reading back %s at %s", rule, path).isEqualTo(200);
            assertThat(Api.json(readBack)).isEqualTo(rule);
            assertThat(api.delete(admin, path).statusCode()).isEqualTo(204);
        }
    }

    @Property
    void readingAndDeletingRules(@ForAll("ruleIds") String id, @ForAll boolean delete, @ForAll boolean asAdmin) {
        String route = (delete ? "DELETE" : "GET") + " /v1/ratelimit/rules/{id}";
        long deletes = CLOUD.dynamoDbRequests(RULES_TABLE, "DeleteItem");
        HttpResponse<String> response = send(asAdmin ? admin : tenant, delete ? "DELETE" : "GET",
                "/v1/ratelimit/rules/" + id, null, Map.of());
        ApiFuzz.check(route, response);
        if (!asAdmin) {
            assertThat(response.statusCode()).as("a tenant managing rules: %s", response.body()).isEqualTo(403);
            assertThat(CLOUD.dynamoDbRequests(RULES_TABLE, "DeleteItem")).isEqualTo(deletes);
        }
    }

    @Provide
    Arbitrary<String> checkBodies() {
        // Also the configured rule with hostile keys and costs, so that bodies get past "unknown rule".
        return Arbitraries.oneOf(ApiFuzz.bodies("rule", "key", "cost"),
                ApiFuzz.bodies("key", "cost").map(b -> b.startsWith("{") && b.length() > 2
                        ? "{\"rule\":\"" + Cloud.CONFIGURED_RULE + "\"," + b.substring(1) : b),
                ApiFuzz.mutationsOf("{\"rule\":\"" + Cloud.CONFIGURED_RULE + "\",\"key\":\"k1\",\"cost\":1}"));
    }

    @Provide
    Arbitrary<String> ruleBodies() {
        return Arbitraries.oneOf(ApiFuzz.bodies(RULE_FIELDS), Arbitraries.just(VALID_RULE), ApiFuzz.mutationsOf(VALID_RULE,
                "{\"algorithm\":\"sliding_window\",\"limit\":5,\"windowSeconds\":60,\"keyBy\":[\"ip\"],\"failMode\":\"open\"}"));
    }

    @Provide
    Arbitrary<String> ruleIds() {
        return Arbitraries.oneOf(Arbitraries.just(Cloud.CONFIGURED_RULE), ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        return ApiFuzz.headers();
    }

    private static HttpResponse<String> send(String key, String method, String path, String body,
            Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("x-api-key", key);
        return ApiFuzz.send(method, CLOUD.gatewayUri(path), body, all);
    }

    private static long writes() {
        return CLOUD.dynamoDbRequests(RULES_TABLE, "PutItem") + CLOUD.dynamoDbRequests(RULES_TABLE, "DeleteItem");
    }
}
