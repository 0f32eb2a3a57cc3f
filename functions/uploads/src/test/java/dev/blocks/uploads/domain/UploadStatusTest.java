package dev.blocks.uploads.domain;

import static dev.blocks.uploads.domain.UploadStatus.ABORTED;
import static dev.blocks.uploads.domain.UploadStatus.COMPLETED;
import static dev.blocks.uploads.domain.UploadStatus.EXPIRED;
import static dev.blocks.uploads.domain.UploadStatus.FAILED;
import static dev.blocks.uploads.domain.UploadStatus.PENDING;
import static dev.blocks.uploads.domain.UploadStatus.UPLOADING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UploadStatusTest {

    @Test
    void theMachineHasExactlyTheseTransitions() {
        Set<List<UploadStatus>> allowed = new HashSet<>();
        for (UploadStatus from : UploadStatus.values()) {
            for (UploadStatus to : UploadStatus.values()) {
                if (from.canBecome(to)) {
                    allowed.add(List.of(from, to));
                }
            }
        }
        assertThat(allowed).containsExactlyInAnyOrder(
                List.of(PENDING, UPLOADING),
                List.of(PENDING, COMPLETED), List.of(PENDING, FAILED), List.of(PENDING, EXPIRED), List.of(PENDING, ABORTED),
                List.of(UPLOADING, COMPLETED), List.of(UPLOADING, FAILED), List.of(UPLOADING, EXPIRED), List.of(UPLOADING, ABORTED));
    }

    @Test
    void finalStatusesNeverChange() {
        for (UploadStatus done : EnumSet.of(COMPLETED, FAILED, EXPIRED, ABORTED)) {
            assertThat(done.open()).isFalse();
            for (UploadStatus to : UploadStatus.values()) {
                assertThat(done.canBecome(to)).isFalse();
            }
        }
    }

    @Test
    void predecessorsAreTheWriteConditions() {
        assertThat(PENDING.predecessors()).isEmpty();
        assertThat(UPLOADING.predecessors()).containsExactly(PENDING);
        for (UploadStatus done : EnumSet.of(COMPLETED, FAILED, EXPIRED, ABORTED)) {
            assertThat(done.predecessors()).containsExactlyInAnyOrder(PENDING, UPLOADING);
        }
    }
}
