package dev.blocks.ratelimit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {

    private static final Rule GLOBAL = Rule.of("global", Algorithm.GCRA, 1000, 60);
    private static final Rule LOGIN = Rule.of("login", Algorithm.SLIDING_LOG, 5, 60);

    @Test
    void configuredAndStoredRulesAreBothInForceConfiguredFirst() {
        RuleCatalog catalog = RuleCatalog.of(List.of(GLOBAL), List.of(LOGIN));

        assertThat(catalog.find("login")).contains(LOGIN);
        assertThat(catalog.find("global")).contains(GLOBAL);
        assertThat(catalog.find("nope")).isEmpty();
        assertThat(catalog.storedKnown()).isTrue();
        assertThat(catalog.ruleSet().rules()).containsExactly(GLOBAL, LOGIN);
        assertThat(catalog.isConfigured("global")).isTrue();
        assertThat(catalog.isConfigured("login")).isFalse();
        assertThat(catalog.configured("login")).isEmpty();
    }

    @Test
    void aStoredRuleCannotReplaceAConfiguredOne() {
        Rule impostor = Rule.of("global", Algorithm.FIXED_WINDOW, 1, 60);
        RuleCatalog catalog = RuleCatalog.of(List.of(GLOBAL), List.of(impostor, LOGIN));

        assertThat(catalog.find("global")).contains(GLOBAL);
        assertThat(catalog.overridden()).containsExactly("global");
        assertThat(catalog.ruleSet().rules()).containsExactly(GLOBAL, LOGIN);
    }

    @Test
    void beforeTheTableIsReadOnlyConfiguredRulesAreKnown() {
        RuleCatalog catalog = RuleCatalog.configuredOnly(List.of(GLOBAL));

        assertThat(catalog.storedKnown()).isFalse();
        assertThat(catalog.find("global")).contains(GLOBAL);
        assertThat(catalog.find("login")).isEmpty();
    }
}
