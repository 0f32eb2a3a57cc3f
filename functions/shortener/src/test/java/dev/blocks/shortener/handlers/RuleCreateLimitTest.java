package dev.blocks.shortener.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.http.HttpRequest;
import dev.blocks.kit.http.HttpResponse;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.identity.Caller;
import dev.blocks.kit.ratelimit.ConfiguredRules;
import dev.blocks.kit.ratelimit.InProcessLimitStore;
import dev.blocks.kit.ratelimit.LimitRequest;
import dev.blocks.kit.ratelimit.RateLimiter;
import dev.blocks.kit.ratelimit.RateLimiterSettings;
import dev.blocks.kit.ratelimit.RuleSet;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Link creation limited per API key, per user (authorizer callers) and per client IP, on the kit's in-process store. */
class RuleCreateLimitTest {

    private static final String ROUTE = "POST /v1/links";

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    private RuleCreateLimit limit(String rulesJson) {
        RuleSet rules = RuleSet.of(ConfiguredRules.read(parse(rulesJson)));
        // Refusals are not remembered: that memory runs on the real clock, and this test moves the store's.
        return new RuleCreateLimit(new RateLimiter(new InProcessLimitStore(clock::get), () -> rules,
                RateLimiterSettings.defaults().withRememberRefusals(false)));
    }

    private static Object parse(String json) {
        try {
            return new ObjectMapper().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static HttpRequest request(String route, String ip) {
        return new HttpRequest(route, "POST", "/v1/links", Map.of(), Map.of(), Map.of(), List.of(), new byte[0], ip,
                "req", Map.of());
    }

    private static String rule(String id, int limit, String keyBy) {
        return "{\"id\":\"" + id + "\",\"algorithm\":\"fixed_window\",\"limit\":" + limit
                + ",\"windowSeconds\":60,\"keyBy\":[\"" + keyBy + "\"],\"route\":\"" + ROUTE + "\"}";
    }

    @Test
    void theDefaultRulesOfTheConfigurationAreValidAndApplyToLinkCreation() throws Exception {
        String defaults = (String) ShortenerConfig.RateLimit.class.getMethod("rules")
                .getAnnotation(WithDefault.class).value();
        RuleSet rules = RuleSet.of(ConfiguredRules.read(parse(defaults)));
        assertThat(rules.rules()).extracting(r -> r.id())
                .containsExactly("links-create-per-key", "links-create-per-user", "links-create-per-ip");
        LimitRequest byKey = RuleCreateLimit.limitRequest(new Caller("alice", "key-1"), request(ROUTE, "203.0.113.9"));
        assertThat(rules.matching(byKey)).extracting(r -> r.id())
                .containsExactlyInAnyOrder("links-create-per-key", "links-create-per-ip");
        LimitRequest byClaims = RuleCreateLimit.limitRequest(new Caller("user-7", "jwt:https://issuer"), request(ROUTE, "203.0.113.9"));
        assertThat(rules.matching(byClaims)).extracting(r -> r.id())
                .containsExactlyInAnyOrder("links-create-per-user", "links-create-per-ip");
        assertThat(rules.matching(byKey.withRoute("GET /v1/links/{code}"))).isEmpty();
    }

    @Test
    void eachApiKeyHasItsOwnCounterAndTheRefusalIsA429WithRetryAfter() {
        RuleCreateLimit limit = limit("[" + rule("per-key", 3, "apiKey") + "]");
        Caller alice = new Caller("alice", "key-a");
        for (int i = 0; i < 3; i++) {
            Map<String, String> headers = limit.check(alice, request(ROUTE, "203.0.113.1"));
            assertThat(headers).containsEntry("x-ratelimit-limit", "3")
                    .containsEntry("x-ratelimit-remaining", Integer.toString(2 - i))
                    .containsEntry("ratelimit-policy", "\"per-key\";q=3;w=60");
        }
        assertThatThrownBy(() -> limit.check(alice, request(ROUTE, "203.0.113.2")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    HttpResponse response = e.toResponse();
                    assertThat(response.status()).isEqualTo(429);
                    assertThat(response.headers()).containsEntry("content-type", "application/problem+json")
                            .containsEntry("x-ratelimit-remaining", "0").containsKey("retry-after");
                    assertThat(Long.parseLong(response.headers().get("retry-after"))).isBetween(1L, 60L);
                    assertThat(response.body()).contains("rate-limited");
                });
        // Another key of the same owner, from the same address, is counted apart.
        assertThat(limit.check(new Caller("alice", "key-b"), request(ROUTE, "203.0.113.1")))
                .containsEntry("x-ratelimit-remaining", "2");
    }

    @Test
    void oneAddressIsLimitedWhateverKeysItUses() {
        RuleCreateLimit limit = limit("[" + rule("per-key", 100, "apiKey") + "," + rule("per-ip", 4, "ip") + "]");
        for (int i = 0; i < 4; i++) {
            limit.check(new Caller("owner-" + i, "key-" + i), request(ROUTE, "198.51.100.7"));
        }
        assertThatThrownBy(() -> limit.check(new Caller("owner-9", "key-9"), request(ROUTE, "198.51.100.7")))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.toResponse().headers()).containsEntry("ratelimit", "\"per-ip\";r=0;t="
                                + e.toResponse().headers().get("retry-after")));
        assertThat(limit.check(new Caller("owner-9", "key-9"), request(ROUTE, "198.51.100.8")))
                .containsEntry("x-ratelimit-remaining", "3");
    }

    @Test
    void authorizerCallersAreCountedPerUserNotPerIssuer() {
        RuleCreateLimit limit = limit("[" + rule("per-user", 2, "user") + "," + rule("per-key", 1, "apiKey") + "]");
        Caller first = new Caller("user-1", "jwt:https://issuer.example");
        Caller second = new Caller("user-2", "jwt:https://issuer.example");
        limit.check(first, request(ROUTE, "192.0.2.1"));
        limit.check(first, request(ROUTE, "192.0.2.1"));
        assertThatThrownBy(() -> limit.check(first, request(ROUTE, "192.0.2.1"))).isInstanceOf(ProblemException.class);
        assertThat(limit.check(second, request(ROUTE, "192.0.2.1"))).containsEntry("x-ratelimit-remaining", "1");
    }

    @Test
    void aCounterRefillsOnceItsWindowHasPassed() {
        RuleCreateLimit limit = limit("[" + rule("per-key", 1, "apiKey") + "]");
        Caller caller = new Caller("bob", "key-bob");
        limit.check(caller, request(ROUTE, "192.0.2.1"));
        assertThatThrownBy(() -> limit.check(caller, request(ROUTE, "192.0.2.1"))).isInstanceOf(ProblemException.class);
        clock.addAndGet(60_000);
        assertThat(limit.check(caller, request(ROUTE, "192.0.2.1"))).containsEntry("x-ratelimit-remaining", "0");
    }

    @Test
    void noLimitAdmitsEverythingWithoutHeaders() {
        assertThat(CreateLimit.NONE.check(new Caller("x", "k"), request(ROUTE, "192.0.2.1"))).isEmpty();
    }
}
