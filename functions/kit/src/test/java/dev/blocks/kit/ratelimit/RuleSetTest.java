package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RuleSetTest {

    private final Rule global = Rule.of("global", Algorithm.GCRA, 1_000_000, 60);
    private final Rule perKey = Rule.of("per-key", Algorithm.TOKEN_BUCKET, 100, 60).withBurst(20).withKeyBy(KeyPart.API_KEY);
    private final Rule uploads = Rule.of("uploads", Algorithm.SLIDING_WINDOW, 10, 60).withRoute("POST /v1/uploads")
            .withKeyBy(KeyPart.API_KEY);
    private final Rule freeTier = Rule.of("free", Algorithm.FIXED_WINDOW, 1000, 86_400).withTier("free")
            .withKeyBy(KeyPart.USER);
    private final RuleSet rules = RuleSet.of(global, perKey, uploads, freeTier);

    @Test
    void matchesByRouteTierAndThePartsARequestHas() {
        LimitRequest anonymous = LimitRequest.forRoute("POST /v1/uploads").withIp("192.0.2.7");
        assertThat(rules.matching(anonymous)).containsExactly(global);

        LimitRequest withKey = anonymous.withApiKey("key-1");
        assertThat(rules.matching(withKey)).containsExactly(global, perKey, uploads);
        assertThat(rules.matching(withKey.withRoute("POST /v1/links"))).containsExactly(global, perKey);

        LimitRequest freeUser = LimitRequest.forRoute("GET /v1/links/{code}").withUser("u-1").withTier("free");
        assertThat(rules.matching(freeUser)).containsExactly(global, freeTier);
        assertThat(rules.matching(freeUser.withTier("pro"))).containsExactly(global);
    }

    @Test
    void refusesTwoRulesWithOneId() {
        assertThatThrownBy(() -> RuleSet.of(global, Rule.of("global", Algorithm.FIXED_WINDOW, 5, 1)))
                .hasMessageContaining("global");
    }

    @Test
    void oneSlotKeysShareOneHashTag() {
        KeyLayout layout = new KeyLayout(HashTagPolicy.ONE_SLOT);
        LimitRequest request = LimitRequest.forRoute("POST /v1/uploads").withApiKey("bk_secret").withIp("192.0.2.7");
        RuleCheck a = layout.check(global, request);
        RuleCheck b = layout.check(uploads, request);
        assertThat(a.key()).isEqualTo("{rl}:global:gc1000000/60s:*");
        assertThat(b.key()).startsWith("{rl}:uploads:sw10/60s:k=").doesNotContain("bk_secret");
        assertThat(a.hashTag()).isEqualTo(b.hashTag()).isEqualTo("rl");
    }

    @Test
    void perSubjectKeysAreTaggedByTheirLeadingPart() {
        KeyLayout layout = new KeyLayout(HashTagPolicy.PER_SUBJECT);
        Rule keyAndIp = Rule.of("key-ip", Algorithm.FIXED_WINDOW, 5, 1).withKeyBy(KeyPart.IP, KeyPart.API_KEY);
        Rule perIp = Rule.of("ip", Algorithm.FIXED_WINDOW, 5, 1).withKeyBy(KeyPart.IP);
        LimitRequest request = LimitRequest.forRoute("POST /v1/links").withApiKey("bk_secret").withIp("2001:db8::1");

        RuleCheck key = layout.check(perKey, request);
        RuleCheck both = layout.check(keyAndIp, request);
        RuleCheck ip = layout.check(perIp, request);
        RuleCheck everyone = layout.check(global, request);
        assertThat(both.hashTag()).isEqualTo(key.hashTag()).startsWith("k=");
        assertThat(ip.hashTag()).as("an IPv6 client is its /64").isEqualTo("i=2001%3Adb8%3A0%3A0%3A%3A/64");
        assertThat(layout.check(perIp, request.withIp("2001:db8::ffff:1")).key()).isEqualTo(ip.key());
        assertThat(layout.check(perIp, request.withIp("2001:db8:0:1::1")).key()).isNotEqualTo(ip.key());
        assertThat(layout.check(perIp, request.withIp("::ffff:192.0.2.7")).key())
                .isEqualTo(layout.check(perIp, request.withIp("192.0.2.7")).key());
        assertThat(layout.check(perIp, request.withIp("192.0.2.8")).key())
                .isNotEqualTo(layout.check(perIp, request.withIp("192.0.2.7")).key());
        assertThat(everyone.hashTag()).isEqualTo("*");
        assertThat(key.key()).startsWith("rl:{" + key.hashTag() + "}:per-key:tb100/60s+20:");
    }

    @Test
    void valuesCannotOpenOrCloseAHashTag() {
        Rule perRoute = Rule.of("per-route", Algorithm.FIXED_WINDOW, 5, 1).withKeyBy(KeyPart.ROUTE);
        RuleCheck check = new KeyLayout(HashTagPolicy.ONE_SLOT)
                .check(perRoute, LimitRequest.forRoute("GET /v1/links/{code}"));
        assertThat(check.key()).isEqualTo("{rl}:per-route:fw5/1s:r=GET /v1/links/%7Bcode%7D");
    }

    @Test
    void changedParametersNameFreshCounters() {
        KeyLayout layout = new KeyLayout(HashTagPolicy.ONE_SLOT);
        LimitRequest request = LimitRequest.forRoute("GET /");
        assertThat(layout.check(global, request).key())
                .isNotEqualTo(layout.check(Rule.of("global", Algorithm.GCRA, 2_000_000, 60), request).key());
    }
}
