package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    void sitesTheItemNamesAreAlwaysKeptAndOnlyNewOnesAreCapped() {
        List<DeliveredClick> batch = new ArrayList<>();
        long offset = 0;
        for (String site : List.of("a", "b", "c", "known", "d")) {
            batch.add(click("x", "2026-11-24T10:00:00Z", "https://" + site + ".example/", "v", 0, offset++));
        }
        batch.add(click("x", "2026-11-24T10:00:00Z", "https://a.example/", "v", 0, offset++));
        CodeTally t = ClickTally.of(batch, 1, code -> code.equals("x") ? Set.of("known.example", "gone.example") : Set.of(), 0).get(0);
        assertThat(t.byReferrer()).containsExactlyInAnyOrderEntriesOf(
                Map.of("known.example", 1L, "a.example", 2L, Referrer.OTHER, 3L));
        // without the hint "known.example" ties with the others
        assertThat(ClickTally.of(batch, 1).get(0).byReferrer()).containsExactlyInAnyOrderEntriesOf(
                Map.of("a.example", 2L, Referrer.OTHER, 4L));
        // a redelivered remainder is tallied with the same hint
        CodeTally rest = ClickTally.uncounted(t, Map.of(0, 2L), 1, Set.of("known.example"), 0).orElseThrow();
        assertThat(rest.byReferrer()).containsExactlyInAnyOrderEntriesOf(
                Map.of("known.example", 1L, "a.example", 1L, Referrer.OTHER, 1L));
    }

    /** Sites with equal counts: which win follows the salt, so a sender cannot pick names that always win. */
    @Test
    void equalCountsAreOrderedByTheSaltNotByName() {
        List<DeliveredClick> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String site = i == 29 ? "zz-real.example" : "0" + i + ".example";
            batch.add(click("x", "2026-11-24T10:00:00Z", "https://" + site + "/", "v", 0, i));
        }
        int kept = 0;
        for (int salt = 0; salt < 1000; salt++) {
            Map<String, Long> byReferrer = ClickTally.of(batch, 20, code -> Set.of(), salt).get(0).byReferrer();
            assertThat(byReferrer).hasSize(21).containsEntry(Referrer.OTHER, 10L);
            assertThat(ClickTally.of(batch, 20, code -> Set.of(), salt).get(0).byReferrer()).isEqualTo(byReferrer);
            if (byReferrer.containsKey("zz-real.example")) {
                kept++;
            }
        }
        // by name it would never be kept; by salt about 20 times in 30
        assertThat(kept).isBetween(550, 780);
    }

    @Test
    void anEmptyBatchHasNoTallies() {
        assertThat(ClickTally.of(List.of(), 10)).isEmpty();
    }
}
