package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AliasTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-link", "launch_2026", "A-b_C", "0123456789012345678901234567890123456789012345678901234567890123"})
    void acceptsThreeToSixtyFourSafeCharacters(String alias) {
        assertThat(Alias.problem(alias)).isEmpty();
        assertThat(Alias.plausibleCode(alias)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "has space", "slash/es", "dot.ted", "ünïcode", "percent%20", "q?x",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void refusesOtherShapes(String alias) {
        assertThat(Alias.problem(alias)).get().asString().contains("3 to 64");
        assertThat(Alias.plausibleCode(alias)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "api", "API", "healthz", "Admin", "static", "well-known"})
    void refusesReservedWordsInAnyCase(String alias) {
        assertThat(Alias.plausibleCode(alias)).isFalse();
        if (alias.length() >= 3) {
            assertThat(Alias.problem(alias)).get().asString().contains("reserved");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1x", "apis", "my-admin"})
    void wordsThatOnlyContainAReservedWordAreFine(String alias) {
        assertThat(Alias.problem(alias)).isEmpty();
    }
}
