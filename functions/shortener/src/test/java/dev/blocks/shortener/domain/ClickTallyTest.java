package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickTallyTest {

    private static DeliveredClick click(String code, String at, String referrer, String visitor, int partition, long offset) {
        return new DeliveredClick(new Click(code, Instant.parse(at), referrer, visitor, "ua", null), partition, offset);
    }

    @Test
    void foldsABatchIntoOneTallyPerCodeInFirstSeenOrder() {
        List<CodeTally> tallies = ClickTally.of(List.of(
                click("b", "2026-11-24T23:59:59Z", "https://www.news.example/a", "v1", 0, 10),
                click("a", "2026-11-24T10:00:00Z", null, "v1", 1, 5),
                click("b", "2026-11-25T00:00:00Z", "https://news.example/b", "v2", 0, 11),
                click("b", "2026-11-25T08:00:00Z", "", "v1", 0, 12)), 10);

        assertThat(tallies).extracting(CodeTally::code).containsExactly("b", "a");
        CodeTally b = tallies.get(0);
        assertThat(b.clicks()).isEqualTo(3);
        assertThat(b.byDay()).containsExactly(Map.entry(LocalDate.parse("2026-11-24"), 1L), Map.entry(LocalDate.parse("2026-11-25"), 2L));
        assertThat(b.byReferrer()).containsExactlyInAnyOrderEntriesOf(Map.of("news.example", 2L, Referrer.DIRECT, 1L));
        assertThat(b.visitors()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(b.offsets()).containsExactly(Map.entry(0, new CodeTally.OffsetRange(10, 12)));
        assertThat(tallies.get(1).offsets()).containsExactly(Map.entry(1, new CodeTally.OffsetRange(5, 5)));
    }

    @Test
    void keepsOffsetsPerPartition() {
        CodeTally t = ClickTally.of(List.of(click("a", "2026-11-24T10:00:00Z", null, null, 2, 7),
                click("a", "2026-11-24T10:00:00Z", null, null, 0, 3),
                click("a", "2026-11-24T10:00:00Z", null, null, 2, 4)), 10).get(0);
        assertThat(t.offsets()).containsExactly(Map.entry(0, new CodeTally.OffsetRange(3, 3)),
                Map.entry(2, new CodeTally.OffsetRange(4, 7)));
        assertThat(t.visitors()).isEmpty();
    }

    @Test
    void lumpsAllButTheBusiestReferrersIntoOther() {
        List<DeliveredClick> batch = new ArrayList<>();
        long offset = 0;
        for (int site = 0; site < 5; site++) {
            for (int n = 0; n <= site; n++) {
                batch.add(click("a", "2026-11-24T10:00:00Z", "https://s" + site + ".example/", "v", 0, offset++));
            }
        }
        CodeTally t = ClickTally.of(batch, 2).get(0);
        assertThat(t.byReferrer()).containsExactlyInAnyOrderEntriesOf(Map.of("s4.example", 5L, "s3.example", 4L, Referrer.OTHER, 6L));
        assertThat(t.byReferrer().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(t.clicks());
    }

    @Test
    void anEmptyBatchHasNoTallies() {
        assertThat(ClickTally.of(List.of(), 10)).isEmpty();
    }
}
