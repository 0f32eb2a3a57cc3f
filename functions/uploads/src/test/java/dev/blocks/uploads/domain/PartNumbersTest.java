package dev.blocks.uploads.domain;

import static dev.blocks.uploads.domain.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartNumbersTest {

    private static final PartPlan PLAN = PartPlan.of(50 * 1024 * MIB, 8 * MIB);

    @Test
    void aBatchIsDistinctNumbersOfThePlanInOrder() {
        assertThat(PartNumbers.batch(List.of(6400, 3, 1), PLAN, 100)).containsExactly(1, 3, 6400);
    }

    @Test
    void refusesWhatIsNoBatch() {
        assertThatThrownBy(() -> PartNumbers.batch(List.of(), PLAN, 100)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> PartNumbers.batch(List.of(0), PLAN, 100)).hasMessageContaining("1..6400");
        assertThatThrownBy(() -> PartNumbers.batch(List.of(6401), PLAN, 100)).hasMessageContaining("1..6400");
        assertThatThrownBy(() -> PartNumbers.batch(List.of(2, 2), PLAN, 100)).hasMessageContaining("twice");
        assertThatThrownBy(() -> PartNumbers.batch(Arrays.asList(1, null), PLAN, 100)).hasMessageContaining("null");
        List<Integer> tooMany = java.util.stream.IntStream.rangeClosed(1, 101).boxed().toList();
        assertThatThrownBy(() -> PartNumbers.batch(tooMany, PLAN, 100)).hasMessageContaining("at most 100");
    }

    @Test
    void theFirstBatchNeverExceedsTheBatchSize() {
        assertThat(PartNumbers.first(PLAN, 100)).hasSize(100).startsWith(1).endsWith(100);
        assertThat(PartNumbers.first(PartPlan.of(10 * MIB + 1, 5 * MIB), 100)).containsExactly(1, 2, 3);
    }
}
