package dev.blocks.webhooks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void everyIdThisClassMakesIsPlausible() {
        for (int i = 0; i < 1000; i++) {
            String endpoint = Ids.endpoint();
            assertThat(Ids.plausible(endpoint)).as(endpoint).isTrue();
            assertThat(Ids.plausible(Ids.message(Ids.event(), endpoint))).isTrue();
        }
    }

    @Test
    void pathSegmentsNoIdLooksLikeAreNot() {
        assertThat(Ids.plausible(null)).isFalse();
        assertThat(Ids.plausible("")).isFalse();
        assertThat(Ids.plausible("x".repeat(129))).as("longer than any id, and DynamoDB refuses keys past 2 KB").isFalse();
        assertThat(Ids.plausible("x".repeat(2000))).isFalse();
        assertThat(Ids.plausible("..")).isFalse();
        assertThat(Ids.plausible("ep_a/b")).isFalse();
        assertThat(Ids.plausible("ep_\u00e9")).isFalse();
        assertThat(Ids.plausible("x".repeat(128))).isTrue();
    }
}
