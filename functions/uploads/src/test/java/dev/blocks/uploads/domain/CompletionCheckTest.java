package dev.blocks.uploads.domain;

import static dev.blocks.uploads.domain.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CompletionCheckTest {

    private static final PartPlan PLAN = PartPlan.of(10 * MIB + 1024, 5 * MIB);
    private static final List<Part> ALL_UPLOADED = List.of(
            new Part(1, 5 * MIB, "\"e1\""), new Part(2, 5 * MIB, "\"e2\""), new Part(3, 1024, "\"e3\""));

    @Test
    void everyPartClaimedAndHeldCompletes() {
        CompletionCheck check = CompletionCheck.of(PLAN,
                List.of(new ClaimedPart(3, "e3"), new ClaimedPart(1, "\"E1\""), new ClaimedPart(2, "e2")), ALL_UPLOADED);
        assertThat(check.complete()).isTrue();
        assertThat(check.parts()).extracting(ClaimedPart::partNumber).containsExactly(1, 2, 3);
    }

    @Test
    void aClaimWithoutTheUploadIsRefused() {
        CompletionCheck check = CompletionCheck.of(PLAN,
                List.of(new ClaimedPart(1, "e1"), new ClaimedPart(2, "e2"), new ClaimedPart(3, "e3")), ALL_UPLOADED.subList(0, 2));
        assertThat(check.complete()).isFalse();
        assertThat(check.problems()).containsExactly("parts 3 were not uploaded");
        assertThat(check.parts()).isEmpty();
    }

    @Test
    void claimingFewerPartsThanPlannedIsRefused() {
        CompletionCheck check = CompletionCheck.of(PLAN, List.of(new ClaimedPart(1, "e1")), ALL_UPLOADED);
        assertThat(check.problems()).containsExactly("parts 2-3 are not claimed; all 3 are needed");
    }

    @Test
    void wrongETagsSizesDuplicatesAndStrangersAreAllNamed() {
        List<Part> uploaded = List.of(new Part(1, 5 * MIB, "e1"), new Part(2, 5 * MIB - 1, "e2"), new Part(3, 1024, "e3"));
        CompletionCheck check = CompletionCheck.of(PLAN, List.of(new ClaimedPart(1, "x"), new ClaimedPart(1, "e1"),
                new ClaimedPart(2, "e2"), new ClaimedPart(3, "e3"), new ClaimedPart(4, "e4"), new ClaimedPart(0, "e0")), uploaded);
        assertThat(check.problems()).containsExactly(
                "parts 0, 4 are not in 1..3",
                "parts 1 are claimed more than once",
                "parts 1 have another ETag in S3 than claimed",
                "parts 2 do not have their planned size");
    }

    @Test
    void rangesStayShortForThousandsOfParts() {
        TreeSet<Integer> numbers = new TreeSet<>();
        for (int i = 1; i <= 10_000; i++) {
            if (i != 5000) {
                numbers.add(i);
            }
        }
        assertThat(CompletionCheck.ranges(numbers)).isEqualTo("1-4999, 5001-10000");
        assertThat(CompletionCheck.ranges(new TreeSet<>(List.of(2, 4, 5, 6, 9)))).isEqualTo("2, 4-6, 9");
    }
}
