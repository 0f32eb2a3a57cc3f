package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Kafka delivers at least once: a failed batch comes back from the last committed offset, with whatever
 * boundaries the poller picks then, after some of its codes were already written. These tests replay every such
 * history on small logs against a model of one stats item per code that applies a tally the way the store's
 * conditional update does ({@link CodeTally#fitsAbove}, then {@link ClickTally#uncounted} on refusal), and check
 * that each click is counted exactly once.
 */
class ClickRedeliveryTest {

    private static final int MAX_REFERRERS = 20;

    /** One code's stats item: counters and the per-partition mark, written together or not at all. */
    private static final class Item {
        long clicks;
        final Map<String, Long> referrers = new HashMap<>();
        final Map<Integer, Long> marks = new HashMap<>();

        boolean apply(CodeTally tally) {
            if (!tally.fitsAbove(marks)) {
                return false;
            }
            clicks += tally.clicks();
            tally.byReferrer().forEach((site, n) -> referrers.merge(site, n, Long::sum));
            tally.offsets().forEach((partition, range) -> marks.put(partition, range.last()));
            return true;
        }
    }

    /** What the clicks consumer does per code: write, and on refusal write what is above the stored marks. */
    private static void addPerClick(Map<String, Item> items, CodeTally tally) {
        Item item = items.computeIfAbsent(tally.code(), c -> new Item());
        CodeTally pending = tally;
        while (!item.apply(pending)) {
            Optional<CodeTally> rest = ClickTally.uncounted(pending, item.marks, MAX_REFERRERS, Set.of(), 0);
            if (rest.isEmpty()) {
                return;
            }
            assertThat(rest.get().clicks()).isLessThan(pending.clicks()); // every refusal makes progress
            pending = rest.get();
        }
    }

    /** The rule before: a refused write is a replay, dropped whole. */
    private static void addPerBatch(Map<String, Item> items, CodeTally tally) {
        items.computeIfAbsent(tally.code(), c -> new Item()).apply(tally);
    }

    private interface Strategy {
        void add(Map<String, Item> items, CodeTally tally);
    }

    private static DeliveredClick click(String code, int partition, long offset) {
        return new DeliveredClick(new Click(code, Instant.parse("2026-12-07T10:00:00Z"),
                "https://s" + offset + ".example/", "v" + offset, null, null), partition, offset);
    }

    private record Outcome(int histories, int exact, int wrong) {}

    /**
     * Every history of delivering {@code log} (one partition) with at most {@code failures} failed attempts: each
     * attempt takes any number of records from the committed offset; a failed one writes only its first
     * {@code k} codes ({@code k} = 0 … codes - 1) and commits nothing.
     */
    private static Outcome replayEveryHistory(List<DeliveredClick> log, int failures, Strategy strategy) {
        int[] counts = new int[3];
        explore(log, 0, failures, new HashMap<>(), strategy, counts);
        return new Outcome(counts[0], counts[1], counts[2]);
    }

    private static void explore(List<DeliveredClick> log, int committed, int failures, Map<String, Item> items,
                                Strategy strategy, int[] counts) {
        if (committed == log.size()) {
            counts[0]++;
            Map<String, Long> expected = new HashMap<>();
            log.forEach(c -> expected.merge(c.click().code(), 1L, Long::sum));
            boolean exact = expected.entrySet().stream().allMatch(e -> {
                Item item = items.get(e.getKey());
                return item != null && item.clicks == e.getValue()
                        && item.referrers.values().stream().mapToLong(Long::longValue).sum() == e.getValue();
            });
            counts[exact ? 1 : 2]++;
            return;
        }
        for (int end = committed + 1; end <= log.size(); end++) {
            List<CodeTally> tallies = ClickTally.of(log.subList(committed, end), MAX_REFERRERS);
            Map<String, Item> succeeded = copy(items);
            tallies.forEach(t -> strategy.add(succeeded, t));
            explore(log, end, failures, succeeded, strategy, counts);
            if (failures > 0) {
                for (int k = 0; k < tallies.size(); k++) {
                    Map<String, Item> partial = copy(items);
                    tallies.subList(0, k).forEach(t -> strategy.add(partial, t));
                    explore(log, committed, failures - 1, partial, strategy, counts);
                }
            }
        }
    }

    private static Map<String, Item> copy(Map<String, Item> items) {
        Map<String, Item> copy = new HashMap<>();
        items.forEach((code, item) -> {
            Item c = new Item();
            c.clicks = item.clicks;
            c.referrers.putAll(item.referrers);
            c.marks.putAll(item.marks);
            copy.put(code, c);
        });
        return copy;
    }

    /** All 2^n logs of n clicks over codes a and b. */
    private static List<List<DeliveredClick>> everyLog(int n) {
        List<List<DeliveredClick>> logs = new ArrayList<>();
        for (int mask = 0; mask < (1 << n); mask++) {
            List<DeliveredClick> log = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                log.add(click((mask & (1 << i)) == 0 ? "a" : "b", 0, 100 + i));
            }
            logs.add(log);
        }
        return logs;
    }

    @Test
    void everyRedeliveryHistoryCountsEachClickExactlyOnce() {
        int histories = 0;
        for (List<DeliveredClick> log : everyLog(5)) {
            Outcome outcome = replayEveryHistory(log, 2, ClickRedeliveryTest::addPerClick);
            assertThat(outcome.wrong()).as("wrong counts for log %s", log).isZero();
            histories += outcome.histories();
        }
        // 32 logs, each with thousands of histories (batch boundaries × partial failures).
        assertThat(histories).isGreaterThan(10_000);
    }

    @Test
    void droppingARefusedBatchWholeLosesClicksWhenBoundariesChange() {
        int wrong = 0;
        for (List<DeliveredClick> log : everyLog(5)) {
            wrong += replayEveryHistory(log, 2, ClickRedeliveryTest::addPerBatch).wrong();
        }
        assertThat(wrong).isPositive();
    }

    @Test
    void theRetriedBatchThatGrewAddsOnlyItsNewClicks() {
        // Attempt 1: offsets 10..12, code a written (mark 12), then the function failed before code b.
        Map<String, Item> items = new HashMap<>();
        List<DeliveredClick> first = List.of(click("a", 0, 10), click("b", 0, 11), click("a", 0, 12));
        addPerClick(items, ClickTally.of(first, MAX_REFERRERS).get(0));
        // Attempt 2 from the committed offset 10, with two more records: a@10 and a@12 are in, a@14 is new.
        List<DeliveredClick> second = new ArrayList<>(first);
        second.add(click("b", 0, 13));
        second.add(click("a", 0, 14));
        ClickTally.of(second, MAX_REFERRERS).forEach(t -> addPerClick(items, t));

        assertThat(items.get("a").clicks).isEqualTo(3);
        assertThat(items.get("a").marks).containsExactly(Map.entry(0, 14L));
        assertThat(items.get("b").clicks).isEqualTo(2);
        assertThat(items.get("a").referrers).containsOnlyKeys("s10.example", "s12.example", "s14.example");
    }

    @Test
    void uncountedKeepsOnlyClicksAboveTheMarkOfTheirOwnPartition() {
        CodeTally tally = ClickTally.of(List.of(click("a", 0, 5), click("a", 1, 5), click("a", 0, 9),
                click("a", 1, 2), click("a", 2, 0)), MAX_REFERRERS).get(0);

        CodeTally rest = ClickTally.uncounted(tally, Map.of(0, 5L, 1, 7L), MAX_REFERRERS, Set.of(), 0).orElseThrow();
        assertThat(rest.clicks()).isEqualTo(2);
        assertThat(rest.offsets()).containsExactly(Map.entry(0, new CodeTally.OffsetRange(9, 9)),
                Map.entry(2, new CodeTally.OffsetRange(0, 0)));
        assertThat(rest.delivered()).extracting(DeliveredClick::offset).containsExactly(9L, 0L);
        assertThat(rest.byReferrer()).containsOnlyKeys("s9.example", "s0.example");
        assertThat(rest.visitors()).containsExactlyInAnyOrder("v9", "v0");
        assertThat(rest.fitsAbove(Map.of(0, 5L, 1, 7L))).isTrue();

        assertThat(ClickTally.uncounted(tally, Map.of(), MAX_REFERRERS, Set.of(), 0)).contains(tally);
        assertThat(ClickTally.uncounted(tally, Map.of(0, 9L, 1, 5L, 2, 0L), MAX_REFERRERS, Set.of(), 0)).isEmpty();
    }

    @Test
    void aTallyFitsOnlyAboveEveryMarkOfItsPartitions() {
        CodeTally tally = ClickTally.of(List.of(click("a", 0, 5), click("a", 0, 8), click("a", 3, 1)),
                MAX_REFERRERS).get(0);
        assertThat(tally.fitsAbove(Map.of())).isTrue();
        assertThat(tally.fitsAbove(Map.of(0, 4L, 3, 0L))).isTrue();
        assertThat(tally.fitsAbove(Map.of(7, 100L))).isTrue(); // other partitions do not matter
        assertThat(tally.fitsAbove(Map.of(0, 5L))).isFalse(); // the first click itself was counted
        assertThat(tally.fitsAbove(Map.of(0, 4L, 3, 1L))).isFalse();
        assertThat(tally.fitsAbove(Map.of(0, 7L))).isFalse();
    }
}
