package dev.blocks.uploads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.blocks.uploads.domain.RoundRobinBatch.Batch;
import dev.blocks.uploads.domain.RoundRobinBatch.Cursor;
import dev.blocks.uploads.domain.RoundRobinBatch.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundRobinBatchTest {

    /**
     * Shards held in lists; an item is "shard:index", a position the index to read next. {@code pageCap} mimics
     * DynamoDB's 1 MB page: a page may end early with a position.
     */
    private static final class Shards implements RoundRobinBatch.ShardReader<Integer, String> {
        final List<Integer> sizes;
        final int pageCap;
        final List<String> reads = new ArrayList<>();

        Shards(int pageCap, Integer... sizes) {
            this(pageCap, List.of(sizes));
        }

        Shards(int pageCap, List<Integer> sizes) {
            this.sizes = sizes;
            this.pageCap = pageCap;
        }

        @Override
        public Page<Integer, String> read(int shard, Optional<Integer> after, int limit) {
            assertThat(limit).isPositive();
            reads.add(shard + "x" + limit);
            int from = after.orElse(0);
            int to = Math.min(sizes.get(shard), from + Math.min(limit, pageCap));
            List<String> items = IntStream.range(from, to).mapToObj(i -> shard + ":" + i).toList();
            return new Page<>(items, to < sizes.get(shard) ? Optional.of(to) : Optional.empty());
        }

        int shards() {
            return sizes.size();
        }
    }

    private static Map<Integer, Integer> perShard(List<String> items) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (String item : items) {
            counts.merge(Integer.parseInt(item.substring(0, item.indexOf(':'))), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void everyShardGetsAnEqualShareWhenAllHaveEnough() {
        Shards shards = new Shards(Integer.MAX_VALUE, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(8), 500, shards);

        assertThat(batch.items()).hasSize(500).doesNotHaveDuplicates();
        // 500 = 8 x 62 + 4: the first four shards in turn take one more
        assertThat(perShard(batch.items())).containsExactlyInAnyOrderEntriesOf(
                Map.of(0, 63, 1, 63, 2, 63, 3, 63, 4, 62, 5, 62, 6, 62, 7, 62));
        assertThat(batch.reads()).isEqualTo(8);
        assertThat(shards.reads).containsExactly("0x63", "1x63", "2x63", "3x63", "4x62", "5x62", "6x62", "7x62");
        // each shard read from its beginning, in order
        assertThat(batch.items()).contains("0:0", "0:62", "7:0", "7:61").doesNotContain("0:63", "7:62");
        assertThat(batch.cursor().positions()).containsExactly(Optional.of(63), Optional.of(63), Optional.of(63),
                Optional.of(63), Optional.of(62), Optional.of(62), Optional.of(62), Optional.of(62));
        assertThat(batch.cursor().first()).isEqualTo(4);
    }

    @Test
    void oneHugeShardDoesNotStarveTheOthers() {
        // as the reconciler saw it: nearly everything in shard 0
        Shards shards = new Shards(Integer.MAX_VALUE, 4300, 100, 100, 100, 100, 100, 100, 100);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(8), 500, shards);

        Map<Integer, Integer> counts = perShard(batch.items());
        assertThat(counts).containsOnlyKeys(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(counts.get(0)).isEqualTo(63);
        assertThat(batch.items()).hasSize(500);
        assertThat(batch.reads()).isEqualTo(8);
    }

    @Test
    void whatSmallShardsCannotFillGoesToTheOthers() {
        Shards shards = new Shards(Integer.MAX_VALUE, 5000, 10, 10, 10, 10, 10, 10, 10);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(8), 500, shards);

        assertThat(perShard(batch.items())).containsExactlyInAnyOrderEntriesOf(
                Map.of(0, 430, 1, 10, 2, 10, 3, 10, 4, 10, 5, 10, 6, 10, 7, 10));
        // one round for all, one more for the shard left
        assertThat(batch.reads()).isEqualTo(9);
        assertThat(shards.reads).endsWith("0x367");
        // the small shards ran out: they start over in the next batch; shard 0 goes on
        assertThat(batch.cursor().positions().get(0)).contains(430);
        assertThat(batch.cursor().positions().subList(1, 8)).allMatch(Optional::isEmpty);
    }

    @Test
    void emptyShardsAreReadOnceAndTheirShareGoesElsewhere() {
        Shards shards = new Shards(Integer.MAX_VALUE, 0, 300, 0, 0, 300, 0, 0, 0);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(8), 500, shards);

        assertThat(perShard(batch.items())).containsExactlyInAnyOrderEntriesOf(Map.of(1, 250, 4, 250));
        assertThat(batch.reads()).isEqualTo(10);
        assertThat(shards.reads.subList(8, 10)).containsExactly("4x188", "1x187");
    }

    @Test
    void allEmptyCostsOneReadPerShard() {
        Shards shards = new Shards(Integer.MAX_VALUE, 0, 0, 0, 0, 0, 0, 0, 0);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(8), 500, shards);
        assertThat(batch.items()).isEmpty();
        assertThat(batch.reads()).isEqualTo(8);
    }

    @Test
    void fewerItemsThanTheLimitAreAllTaken() {
        Shards shards = new Shards(Integer.MAX_VALUE, 7, 0, 3, 120);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(4), 500, shards);
        assertThat(batch.items()).hasSize(130).doesNotHaveDuplicates();
        assertThat(batch.cursor().positions()).allMatch(Optional::isEmpty);
    }

    @Test
    void aBatchSmallerThanTheShardCountGoesRoundTheShardsOverSuccessiveBatches() {
        Shards shards = new Shards(Integer.MAX_VALUE, 100, 100, 100, 100, 100, 100, 100, 100);
        Cursor<Integer> cursor = Cursor.start(8);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int run = 0; run < 8; run++) {
            Batch<Integer, String> batch = RoundRobinBatch.take(cursor, 3, shards);
            assertThat(batch.items()).hasSize(3);
            assertThat(perShard(batch.items())).hasSize(3);
            assertThat(batch.reads()).isEqualTo(3);
            perShard(batch.items()).forEach((shard, n) -> counts.merge(shard, n, Integer::sum));
            cursor = batch.cursor();
        }
        // 24 items over 8 shards: 3 each, and every shard read from where it stopped
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(
                Map.of(0, 3, 1, 3, 2, 3, 3, 3, 4, 3, 5, 3, 6, 3, 7, 3));
        assertThat(cursor.positions()).allMatch(p -> p.equals(Optional.of(3)));
    }

    @Test
    void aSmallBatchSkipsEmptyShardsWithinTheBatch() {
        Shards shards = new Shards(Integer.MAX_VALUE, 100, 0, 0, 100, 100, 100, 100, 100);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(8), 3, shards);
        assertThat(perShard(batch.items())).containsOnlyKeys(0, 3, 4);
        // the next batch begins with the first shard not read
        assertThat(batch.cursor().first()).isEqualTo(5);
    }

    @Test
    void successiveBatchesContinueWhereTheyLeftOffAndStartOverAtTheEnd() {
        List<Integer> sizes = List.of(250, 40, 0, 90);
        Shards shards = new Shards(Integer.MAX_VALUE, sizes);
        Cursor<Integer> cursor = Cursor.start(4);
        Map<Integer, List<Integer>> order = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int runs = 0;
        while (seen.size() < 380) {
            Batch<Integer, String> batch = RoundRobinBatch.take(cursor, 50, shards);
            assertThat(batch.items()).hasSizeBetween(1, 50);
            for (String item : batch.items()) {
                int colon = item.indexOf(':');
                order.computeIfAbsent(Integer.parseInt(item.substring(0, colon)), s -> new ArrayList<>())
                        .add(Integer.parseInt(item.substring(colon + 1)));
            }
            seen.addAll(batch.items());
            cursor = batch.cursor();
            runs++;
        }
        // across batches each shard is read in order, from its beginning again once it reached its end
        order.forEach((shard, indexes) -> {
            for (int i = 0; i < indexes.size(); i++) {
                assertThat(indexes.get(i)).isEqualTo(i % sizes.get(shard));
            }
        });
        assertThat(order.get(1)).hasSizeGreaterThan(40);
        // a shard moves at least limit / shards = 12 items per batch: 250 items take at most 21 batches
        assertThat(runs).isLessThanOrEqualTo(21);
    }

    @Test
    void shortPagesStillFillTheBatch() {
        Shards shards = new Shards(7, 1000, 1000, 1000);
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(3), 100, shards);
        assertThat(batch.items()).hasSize(100).doesNotHaveDuplicates();
        assertThat(perShard(batch.items()).values()).allMatch(n -> n >= 33);
        assertThat(batch.cursor().positions()).allMatch(Optional::isPresent);
    }

    @Test
    void anEmptyPageThatClaimsMoreEndsTheShardForThisBatch() {
        RoundRobinBatch.ShardReader<Integer, String> stuck = (shard, after, limit) -> shard == 0
                ? new Page<>(List.of(), Optional.of(after.orElse(0)))
                : new Page<>(List.of("1:" + after.orElse(0)), Optional.of(after.orElse(0) + 1));
        Batch<Integer, String> batch = RoundRobinBatch.take(Cursor.start(2), 10, stuck);
        assertThat(batch.items()).hasSize(10).allMatch(s -> s.startsWith("1:"));
        assertThat(batch.cursor().positions().get(0)).contains(0);
    }

    @Test
    void aReaderGivingMoreThanAskedIsABug() {
        RoundRobinBatch.ShardReader<Integer, String> greedy = (shard, after, limit) ->
                new Page<>(List.of("a", "b", "c"), Optional.empty());
        assertThatThrownBy(() -> RoundRobinBatch.take(Cursor.start(1), 2, greedy))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3 items for a page of 2");
    }

    @Test
    void aZeroLimitReadsNothing() {
        Shards shards = new Shards(Integer.MAX_VALUE, 5, 5);
        Batch<Integer, String> batch = RoundRobinBatch.take(new Cursor<>(1, List.of(Optional.of(2), Optional.empty())), 0, shards);
        assertThat(batch.items()).isEmpty();
        assertThat(batch.reads()).isZero();
        assertThat(batch.cursor()).isEqualTo(new Cursor<>(1, List.of(Optional.of(2), Optional.empty())));
    }

    @Test
    void refusesWhatIsNoCursorOrLimit() {
        assertThatThrownBy(() -> Cursor.start(0)).hasMessageContaining("at least one shard");
        assertThatThrownBy(() -> new Cursor<Integer>(0, List.of())).hasMessageContaining("at least one shard");
        assertThatThrownBy(() -> new Cursor<Integer>(2, List.of(Optional.empty(), Optional.empty())))
                .hasMessageContaining("first shard 2");
        assertThatThrownBy(() -> new Cursor<Integer>(-1, List.of(Optional.empty()))).hasMessageContaining("first shard -1");
        assertThatThrownBy(() -> RoundRobinBatch.take(Cursor.start(2), -1, new Shards(1, 1, 1)))
                .hasMessageContaining("negative");
    }

    /**
     * Random shard counts, sizes, page caps, batch sizes and cursors: every batch takes min(limit, what is left
     * before the shards' ends); no item twice; each shard in order from its position; and no shard gets less than
     * its fair share, {@code min(left in it, limit / shards)}, whatever the others hold.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void fairWhateverTheShapes(long seed) {
        Random random = new Random(seed);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(16);
            List<Integer> sizes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sizes.add(switch (random.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(10);
                    case 2 -> random.nextInt(200);
                    default -> random.nextInt(5000);
                });
            }
            Shards shards = new Shards(random.nextBoolean() ? Integer.MAX_VALUE : 1 + random.nextInt(100), sizes);
            List<Optional<Integer>> positions = new ArrayList<>();
            for (int size : sizes) {
                positions.add(size == 0 || random.nextBoolean() ? Optional.empty() : Optional.of(random.nextInt(size)));
            }
            Cursor<Integer> cursor = new Cursor<>(random.nextInt(n), positions);
            for (int run = 0; run < 5; run++) {
                int limit = random.nextInt(700);
                shards.reads.clear();
                Batch<Integer, String> batch = RoundRobinBatch.take(cursor, limit, shards);

                int left = 0;
                for (int s = 0; s < n; s++) {
                    left += sizes.get(s) - cursor.positions().get(s).orElse(0);
                }
                assertThat(batch.items()).hasSize(Math.min(limit, left));
                Set<String> unique = new HashSet<>(batch.items());
                assertThat(unique).hasSize(batch.items().size());
                Map<Integer, Integer> counts = perShard(batch.items());
                for (int s = 0; s < n; s++) {
                    int from = cursor.positions().get(s).orElse(0);
                    int taken = counts.getOrDefault(s, 0);
                    String prefix = s + ":";
                    List<String> ofShard = batch.items().stream().filter(i -> i.startsWith(prefix)).toList();
                    List<String> expected = IntStream.range(from, from + taken).mapToObj(i -> prefix + i).toList();
                    assertThat(ofShard).containsExactlyElementsOf(expected);
                    assertThat(taken).isGreaterThanOrEqualTo(Math.min(sizes.get(s) - from, limit / n));
                    Optional<Integer> after = batch.cursor().positions().get(s);
                    assertThat(after).isEqualTo(from + taken == sizes.get(s) ? Optional.empty()
                            : taken == 0 ? cursor.positions().get(s) : Optional.of(from + taken));
                }
                if (shards.pageCap == Integer.MAX_VALUE) {
                    assertThat(batch.reads()).isLessThanOrEqualTo(n * (n + 1) / 2);
                }
                cursor = batch.cursor();
            }
        }
    }
}
