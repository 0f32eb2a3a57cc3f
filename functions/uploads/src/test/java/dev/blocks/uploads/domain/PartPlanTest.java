package dev.blocks.uploads.domain;

import static dev.blocks.uploads.domain.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartPlanTest {

    private static final long GIB = 1024 * MIB;
    private static final long FIFTY_GB = 50 * GIB;

    /** Every whole MiB up to 50 GiB, and one byte either side of each, for the preferred sizes in use. */
    @ParameterizedTest
    @ValueSource(longs = {5 * MIB, 8 * MIB, 16 * MIB, 5 * MIB + 1, 100 * MIB})
    void everySizeUpTo50GiBGetsALegalAndMinimalPlan(long preferred) {
        int checked = 0;
        for (long mib = 1; mib <= FIFTY_GB / MIB; mib++) {
            for (long size = mib * MIB - 1; size <= mib * MIB + 1; size++) {
                assertLegalAndMinimal(PartPlan.of(size, preferred), size, preferred);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(3 * 51_200);
    }

    /** Around every size where the part count would pass 10,000 and the part size must grow by a MiB. */
    @Test
    void growsThePartSizeExactlyWhenTenThousandPartsNoLongerSuffice() {
        for (long partSize = 5 * MIB; partSize <= 600 * MIB; partSize += MIB) {
            long limit = partSize * PartPlan.MAX_PARTS;
            if (limit > PartPlan.MAX_OBJECT_SIZE) {
                break;
            }
            PartPlan atLimit = PartPlan.of(limit, 5 * MIB);
            assertThat(atLimit.partSize()).isEqualTo(partSize);
            assertThat(atLimit.partCount()).isEqualTo(PartPlan.MAX_PARTS);
            assertThat(atLimit.lastPartSize()).isEqualTo(partSize);
            PartPlan past = PartPlan.of(limit + 1, 5 * MIB);
            assertThat(past.partSize()).isEqualTo(partSize + MIB);
            assertLegalAndMinimal(past, limit + 1, 5 * MIB);
        }
    }

    @Test
    void theLargestObjectsStillFit() {
        for (long size : List.of(PartPlan.MAX_OBJECT_SIZE, PartPlan.MAX_OBJECT_SIZE - 1, FIFTY_GB, FIFTY_GB + 1)) {
            assertLegalAndMinimal(PartPlan.of(size, 8 * MIB), size, 8 * MIB);
        }
        assertThat(PartPlan.of(PartPlan.MAX_OBJECT_SIZE, 5 * MIB).partSize()).isEqualTo(525 * MIB);
    }

    @Test
    void fiftyGiBWithEightMiBPartsIs6400Parts() {
        PartPlan plan = PartPlan.of(FIFTY_GB, 8 * MIB);
        assertThat(plan.partCount()).isEqualTo(6_400);
        assertThat(plan.partSize()).isEqualTo(8 * MIB);
    }

    @Test
    void aTenMiBAndOneKiBFileIsTwoFullPartsAndASmallOne() {
        PartPlan plan = PartPlan.of(10 * MIB + 1024, 5 * MIB);
        assertThat(plan.partCount()).isEqualTo(3);
        assertThat(List.of(plan.sizeOf(1), plan.sizeOf(2), plan.sizeOf(3))).containsExactly(5 * MIB, 5 * MIB, 1024L);
    }

    @Test
    void refusesWhatS3Refuses() {
        assertThatThrownBy(() -> PartPlan.of(0, 8 * MIB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.of(PartPlan.MAX_OBJECT_SIZE + 1, 8 * MIB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.of(100 * MIB, 5 * MIB - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.of(100 * MIB, PartPlan.MAX_PART_SIZE + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartPlan(100 * MIB, 5 * MIB, 19)).isInstanceOf(IllegalArgumentException.class);
        PartPlan plan = PartPlan.of(12 * MIB, 5 * MIB);
        assertThatThrownBy(() -> plan.sizeOf(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.sizeOf(4)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertLegalAndMinimal(PartPlan plan, long size, long preferred) {
        List<String> broken = new ArrayList<>();
        if (plan.objectSize() != size) broken.add("object size");
        if (plan.partCount() < 1 || plan.partCount() > PartPlan.MAX_PARTS) broken.add("part count");
        if (plan.partSize() < PartPlan.MIN_PART_SIZE || plan.partSize() > PartPlan.MAX_PART_SIZE) broken.add("part size");
        if ((plan.partCount() - 1L) * plan.partSize() + plan.lastPartSize() != size) broken.add("sum");
        if (plan.lastPartSize() < 1 || plan.lastPartSize() > plan.partSize()) broken.add("last part");
        if (plan.partSize() < preferred) broken.add("below preferred");
        // minimal: either the preferred size, or one MiB less would need more than 10,000 parts
        if (plan.partSize() != preferred && PartPlan.ceilDiv(size, plan.partSize() - MIB) <= PartPlan.MAX_PARTS) {
            broken.add("not minimal");
        }
        if (plan.partSize() != preferred && plan.partSize() % MIB != 0) broken.add("grown size not whole MiB");
        assertThat(broken).as("plan %s for %d bytes, preferred %d", plan, size, preferred).isEmpty();
    }
}
