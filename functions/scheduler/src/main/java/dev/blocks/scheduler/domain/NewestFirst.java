package dev.blocks.scheduler.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One page of a listing read from several sources (the partitions of an owner's jobs), each already sorted newest
 * first: the newest {@code limit} items of them all, in order, and whether any source has more. Sources are read
 * lazily, one item ahead, so a partition is paged through only as far as the page needs.
 */
public final class NewestFirst {

    /** A source sorted newest first; {@code peek} is empty once it has no more. */
    public interface Source<T> {
        Optional<T> peek();

        /** Takes the item {@link #peek} showed. */
        void advance();
    }

    /** The items of one page, and whether items beyond it exist. */
    public record Page<T>(List<T> items, boolean more) {}

    private NewestFirst() {}

    public static <T> Page<T> page(List<? extends Source<T>> sources, Comparator<? super T> newestFirst, int limit) {
        List<T> items = new ArrayList<>();
        while (true) {
            Source<T> next = null;
            T best = null;
            for (Source<T> source : sources) {
                Optional<T> head = source.peek();
                if (head.isPresent() && (best == null || newestFirst.compare(head.get(), best) < 0)) {
                    best = head.get();
                    next = source;
                }
            }
            if (next == null) {
                return new Page<>(items, false);
            }
            if (items.size() == limit) {
                return new Page<>(items, true);
            }
            items.add(best);
            next.advance();
        }
    }
}
