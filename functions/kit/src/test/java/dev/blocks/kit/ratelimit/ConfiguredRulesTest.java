package dev.blocks.kit.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfiguredRulesTest {

    @Test
    void anEmptyArrayIsNoRules() {
        assertThat(ConfiguredRules.read(List.of())).isEmpty();
    }

    @Test
    void readsEveryRuleInOrder() {
        List<Rule> rules = ConfiguredRules.read(List.of(
                Map.of("id", "global", "algorithm", "gcra", "limit", 1_000_000, "windowSeconds", 60),
                Map.of("id", "per-key", "algorithm", "token_bucket", "limit", 100, "windowSeconds", 60, "burst", 20,
                        "keyBy", List.of("apiKey"))));

        assertThat(rules).extracting(Rule::id).containsExactly("global", "per-key");
        assertThat(rules.get(1).algorithm()).isEqualTo(Algorithm.TOKEN_BUCKET);
        assertThat(rules.get(1).burst()).isEqualTo(20);
        assertThat(rules.get(1).keyBy()).containsExactly(KeyPart.API_KEY);
    }

    @Test
    void everyProblemIsNamedWithItsPosition() {
        assertThatThrownBy(() -> ConfiguredRules.read(List.of(
                Map.of("id", "ok", "algorithm", "gcra", "limit", 10, "windowSeconds", 60),
                Map.of("id", "bad", "algorithm", "leaky", "limit", 0, "windowSeconds", 60),
                "not a rule",
                Map.of("id", "ok", "algorithm", "fixed_window", "limit", 1, "windowSeconds", 1))))
                .isInstanceOf(ConfiguredRules.Invalid.class)
                .hasMessageContaining("rules[1].algorithm: must be one of")
                .hasMessageContaining("rules[1].limit: must be between 1 and")
                .hasMessageContaining("rules[2]: must be a rule object")
                .hasMessageContaining("rules[3].id: ok is used by an earlier rule")
                .hasMessageNotContaining("rules[0]");
    }

    @Test
    void theConfigurationMustBeAnArray() {
        assertThatThrownBy(() -> ConfiguredRules.read(Map.of("id", "x")))
                .isInstanceOf(ConfiguredRules.Invalid.class).hasMessageContaining("must be a JSON array");
    }
}
