package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.blocks.kit.validation.FieldError;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleJsonTest {

    private static Map<String, Object> valid() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", "links-per-key");
        json.put("tier", "free");
        json.put("algorithm", "token_bucket");
        json.put("limit", 100);
        json.put("windowSeconds", 60);
        json.put("burst", 20);
        json.put("keyBy", List.of("apiKey", "ip"));
        json.put("route", "POST /v1/links");
        json.put("failMode", "closed");
        json.put("shadow", false);
        json.put("shared", false);
        return json;
    }

    private static List<FieldError> errors(Map<String, Object> json) {
        return catchThrowableOfType(InvalidRuleException.class, () -> RuleJson.read(json)).errors();
    }

    @Test
    void readsEveryFieldOfTheIssuesExample() {
        Rule rule = RuleJson.read(valid());
        assertThat(rule).isEqualTo(new Rule("links-per-key", "free", Algorithm.TOKEN_BUCKET, 100, 60, 20,
                List.of(KeyPart.API_KEY, KeyPart.IP), "POST /v1/links", FailMode.CLOSED, false));
        assertThat(rule.capacity()).isEqualTo(120);
    }

    @Test
    void writesWhatItReads() {
        Rule rule = RuleJson.read(valid());
        Map<String, Object> written = RuleJson.write(rule);
        assertThat(written.keySet()).containsExactlyElementsOf(valid().keySet());
        assertThat(RuleJson.read(written)).isEqualTo(rule);
    }

    @Test
    void optionalFieldsDefaultToAGlobalFailOpenEnforcedRule() {
        Rule rule = RuleJson.read(Map.of("id", "global", "algorithm", "gcra", "limit", 1_000_000, "windowSeconds", 60));
        assertThat(rule.keyBy()).isEmpty();
        assertThat(rule.route()).isNull();
        assertThat(rule.tier()).isNull();
        assertThat(rule.burst()).isZero();
        assertThat(rule.failMode()).isEqualTo(FailMode.OPEN);
        assertThat(rule.shadow()).isFalse();
        assertThat(rule.shared()).as("counters are per tenant unless a rule says otherwise").isFalse();
    }

    @Test
    void readsAndWritesASharedRule() {
        Map<String, Object> json = valid();
        json.put("shared", true);
        Rule rule = RuleJson.read(json);
        assertThat(rule.shared()).isTrue();
        assertThat(RuleJson.write(rule)).containsEntry("shared", true);
        assertThat(RuleJson.read(RuleJson.write(rule))).isEqualTo(rule);
        assertThat(rule.withBurst(5).shared()).as("kept by every with-method").isTrue();
        json.put("shared", 1);
        assertThat(errors(json)).containsExactly(new FieldError("shared", "must be true or false"));
    }

    @Test
    void acceptsWholeNumbersHoweverTheJsonLibraryTypedThem() {
        Map<String, Object> json = valid();
        json.put("limit", 100L);
        json.put("windowSeconds", 60.0);
        json.put("burst", new BigDecimal("20"));
        assertThat(RuleJson.read(json).windowSeconds()).isEqualTo(60);
    }

    @Test
    void reportsEveryWrongFieldAtOnce() {
        Map<String, Object> json = new HashMap<>();
        json.put("algorithm", "leaky");
        json.put("limit", "100");
        json.put("windowSeconds", 0);
        json.put("burst", 1.5);
        json.put("keyBy", List.of("apiKey", "country", 3));
        json.put("route", "/v1/links");
        json.put("failMode", "sometimes");
        json.put("shadow", "no");
        json.put("shared", "yes");
        json.put("colour", "blue");
        assertThat(errors(json)).extracting(FieldError::field).containsExactlyInAnyOrder("colour", "id", "algorithm",
                "limit", "burst", "keyBy[1]", "keyBy[2]", "failMode", "shadow", "shared", "windowSeconds", "route");
    }

    @Test
    void refusesABurstOnWindowAlgorithms() {
        Map<String, Object> json = valid();
        json.put("algorithm", "fixed_window");
        assertThat(errors(json)).containsExactly(new FieldError("burst",
                "only token_bucket and gcra hold a burst; fixed_window admits at most limit per window"));
    }

    @Test
    void refusesLimitsTheScriptsCannotCountExactly() {
        Map<String, Object> json = valid();
        json.put("limit", 1_000_000_000);
        json.put("burst", 0);
        json.put("windowSeconds", 86_400);
        assertThat(errors(json)).extracting(FieldError::field).containsExactly("limit");

        Map<String, Object> log = valid();
        log.put("algorithm", "sliding_log");
        log.put("burst", 0);
        log.put("limit", 100_001);
        assertThat(errors(log)).extracting(FieldError::message).singleElement().asString().contains("sliding_window");
    }

    @Test
    void refusesNamesThatCannotBeKeysOrHeaders() {
        Map<String, Object> json = valid();
        json.put("id", "per key \"x\"");
        json.put("tier", "");
        assertThat(errors(json)).extracting(FieldError::field).containsExactlyInAnyOrder("id", "tier");
    }

    @Test
    void refusesAPartNamedTwice() {
        Map<String, Object> json = valid();
        json.put("keyBy", List.of("ip", "ip"));
        assertThat(errors(json)).extracting(FieldError::field).containsExactly("keyBy");
    }

    @Test
    void acceptsTheDefaultRouteAndPathParameters() {
        Map<String, Object> json = valid();
        json.put("route", "$default");
        assertThat(RuleJson.read(json).route()).isEqualTo("$default");
        json.put("route", "GET /v1/links/{code}");
        assertThat(RuleJson.read(json).route()).isEqualTo("GET /v1/links/{code}");
    }
}
