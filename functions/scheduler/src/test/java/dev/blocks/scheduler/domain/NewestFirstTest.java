package dev.blocks.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Pages merged from several newest-first partitions, and paging on from the last item of a page. */
class NewestFirstTest {

    private static final Comparator<Integer> NEWEST_FIRST = Comparator.reverseOrder();

    /** A partition's items (newest first) from a position on, counting how far it was read. */
    private static final class Partition implements NewestFirst.Source<Integer> {
        private final List<Integer> items;
        private int next;
        int taken;

        Partition(List<Integer> items, Integer after) {
            this.items = items.stream().filter(i -> after == null || i < after).sorted(NEWEST_FIRST).toList();
        }

        @Override
        public Optional<Integer> peek() {
            return next < items.size() ? Optional.of(items.get(next)) : Optional.empty();
        }

        @Override
        public void advance() {
            next++;
            taken++;
        }
    }

    private static List<Partition> partitions(List<List<Integer>> shards, Integer after) {
        return shards.stream().map(s -> new Partition(s, after)).toList();
    }

    @Test
    void onePageTakesTheNewestAcrossPartitionsInOrder() {
        List<List<Integer>> shards = List.of(List.of(9, 4, 1), List.of(8, 7), List.of(), List.of(6, 5, 3, 2));
        NewestFirst.Page<Integer> page = NewestFirst.page(partitions(shards, null), NEWEST_FIRST, 4);
        assertThat(page.items()).containsExactly(9, 8, 7, 6);
        assertThat(page.more()).isTrue();
    }

    @Test
    void aPageThatTakesTheLastItemHasNoMoreAndAnExactlyFullOneKnowsIt() {
        List<List<Integer>> shards = List.of(List.of(3, 1), List.of(2));
        assertThat(NewestFirst.page(partitions(shards, null), NEWEST_FIRST, 3)).isEqualTo(new NewestFirst.Page<>(List.of(3, 2, 1), false));
        assertThat(NewestFirst.page(partitions(shards, null), NEWEST_FIRST, 10)).isEqualTo(new NewestFirst.Page<>(List.of(3, 2, 1), false));
        assertThat(NewestFirst.page(partitions(shards, null), NEWEST_FIRST, 2)).isEqualTo(new NewestFirst.Page<>(List.of(3, 2), true));
    }

    @Test
    void noPartitionOrOnlyEmptyOnesGiveAnEmptyLastPage() {
        assertThat(NewestFirst.page(List.<Partition>of(), NEWEST_FIRST, 5)).isEqualTo(new NewestFirst.Page<>(List.of(), false));
        assertThat(NewestFirst.page(partitions(List.of(List.of(), List.of()), null), NEWEST_FIRST, 5))
                .isEqualTo(new NewestFirst.Page<>(List.of(), false));
    }

    @Test
    void aPageReadsEachPartitionOnlyAsFarAsItNeeds() {
        List<Partition> parts = partitions(List.of(List.of(100, 99, 98, 97), List.of(1, 2, 3)), null);
        NewestFirst.page(parts, NEWEST_FIRST, 2);
        assertThat(parts.get(0).taken).isEqualTo(2);
        assertThat(parts.get(1).taken).isZero();
    }

    @Test
    void pagingOnFromEachPagesLastItemVisitsEveryItemOnceInOrderForEveryShapeAndPageSize() {
        Random random = new Random(14);
        for (int round = 0; round < 300; round++) {
            int shardCount = 1 + random.nextInt(8);
            List<List<Integer>> shards = new ArrayList<>();
            for (int s = 0; s < shardCount; s++) {
                shards.add(new ArrayList<>());
            }
            TreeSet<Integer> all = new TreeSet<>(NEWEST_FIRST);
            int total = random.nextInt(60);
            while (all.size() < total) {
                int item = random.nextInt(10_000);
                if (all.add(item)) {
                    // Skewed: most items in one partition, as a burst of one tenant's jobs may hash.
                    shards.get(random.nextInt(4) == 0 ? random.nextInt(shardCount) : 0).add(item);
                }
            }
            int limit = 1 + random.nextInt(12);
            List<Integer> seen = new ArrayList<>();
            Integer after = null;
            for (int pages = 0; pages <= total + 1; pages++) {
                NewestFirst.Page<Integer> page = NewestFirst.page(partitions(shards, after), NEWEST_FIRST, limit);
                assertThat(page.items().size()).isLessThanOrEqualTo(limit);
                seen.addAll(page.items());
                if (!page.more()) {
                    break;
                }
                assertThat(page.items()).hasSize(limit);
                after = page.items().get(page.items().size() - 1);
            }
            assertThat(seen).as("round %d: %d items in %d partitions, pages of %d", round, total, shardCount, limit)
                    .containsExactlyElementsOf(all);
        }
    }
}
