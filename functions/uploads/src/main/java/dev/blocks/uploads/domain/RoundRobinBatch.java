package dev.blocks.uploads.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of at most {@code limit} items taken fairly from several shards, each read in order from where the
 * previous batch left it. Filling the batch from one shard before the next would let a shard with thousands of
 * items starve all the others; here every shard gets an equal share per round, and what a shard cannot fill (it
 * ran out) is shared among the others in the next round.
 *
 * <p>Rounds: with {@code r} items still wanted and {@code k} shards still able to give, each of those shards is
 * asked for {@code r / k} items and the first {@code r % k} of them (in turn order) for one more; a shard whose
 * share is 0 is not read this round. A shard that reaches its end (or answers an empty page) drops out for the
 * rest of the batch and starts from its beginning in the next one; there is no wrapping within a batch, so no item
 * is taken twice in one batch. The next round puts the shards that got one more last, and the next batch begins
 * with the shard that would have been next: over successive batches the odd items go round every shard.
 *
 * <p>Reads: one per shard in the first round (fewer when {@code limit} is below the shard count); a further round
 * only when a shard ran out (or gave a short page) in the one before, reading only the shards left, so a batch costs
 * at most {@code n(n+1)/2} reads for {@code n} shards and exactly {@code n} when every shard has its share.
 */
public final class RoundRobinBatch {

    private RoundRobinBatch() {}

    /** Reads one page of one shard. */
    @FunctionalInterface
    public interface ShardReader<P, T> {

        /**
         * At most {@code limit} ({@code >= 1}) items of {@code shard} in order, after {@code after} (from the
         * shard's beginning when empty).
         */
        Page<P, T> read(int shard, Optional<P> after, int limit);
    }

    /**
     * One page of a shard.
     *
     * @param next where the shard goes on from; empty when it has nothing after this page
     */
    public record Page<P, T>(List<T> items, Optional<P> next) {

        public Page {
            items = List.copyOf(items);
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * Where each shard's sweep stands between batches.
     *
     * @param first the shard that goes first in the next batch
     * @param positions per shard, where its next read starts (empty: at its beginning)
     */
    public record Cursor<P>(int first, List<Optional<P>> positions) {

        public Cursor {
            positions = List.copyOf(positions);
            if (positions.isEmpty()) {
                throw new IllegalArgumentException("at least one shard");
            }
            if (first < 0 || first >= positions.size()) {
                throw new IllegalArgumentException("first shard " + first + " is not one of " + positions.size());
            }
        }

        /** Every shard at its beginning. */
        public static <P> Cursor<P> start(int shards) {
            if (shards < 1) {
                throw new IllegalArgumentException("at least one shard");
            }
            List<Optional<P>> positions = new ArrayList<>(shards);
            for (int i = 0; i < shards; i++) {
                positions.add(Optional.empty());
            }
            return new Cursor<>(0, positions);
        }

        public int shards() {
            return positions.size();
        }
    }

    /**
     * A batch, where the sweep stands after it and how many reads it cost.
     */
    public record Batch<P, T>(List<T> items, Cursor<P> cursor, int reads) {

        public Batch {
            items = List.copyOf(items);
        }
    }

    public static <P, T> Batch<P, T> take(Cursor<P> cursor, int limit, ShardReader<P, T> reader) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        int shards = cursor.shards();
        List<Optional<P>> positions = new ArrayList<>(cursor.positions());
        List<Integer> turn = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            turn.add((cursor.first() + i) % shards);
        }
        List<T> items = new ArrayList<>();
        int reads = 0;
        while (items.size() < limit && !turn.isEmpty()) {
            int wanted = limit - items.size();
            int share = wanted / turn.size();
            int extra = wanted % turn.size();
            List<Integer> first = new ArrayList<>();
            List<Integer> last = new ArrayList<>();
            for (int i = 0; i < turn.size(); i++) {
                int shard = turn.get(i);
                int ask = share + (i < extra ? 1 : 0);
                if (ask == 0) {
                    first.add(shard);
                    continue;
                }
                Page<P, T> page = reader.read(shard, positions.get(shard), ask);
                reads++;
                if (page.items().size() > ask) {
                    throw new IllegalStateException("shard " + shard + " gave " + page.items().size()
                            + " items for a page of " + ask);
                }
                items.addAll(page.items());
                positions.set(shard, page.next());
                // an empty page with a position would make no progress: the shard waits for the next batch
                if (page.next().isPresent() && !page.items().isEmpty()) {
                    (i < extra ? last : first).add(shard);
                }
            }
            first.addAll(last);
            turn = first;
        }
        int next = turn.isEmpty() ? (int) ((cursor.first() + (long) limit) % shards) : turn.get(0);
        return new Batch<>(items, new Cursor<>(next, positions), reads);
    }
}
