package dev.blocks.shortener.domain;

import java.util.OptionalLong;

/**
 * Hands out counter blocks that never overlap a block handed out before, even when the shared counter goes
 * backwards (Redis restored from a snapshot, a failover to a replica that lagged): every block is claimed against
 * a durable high-water mark before use. The claim succeeds only if the block starts at or above the mark, and
 * moves the mark to the block's end, atomically; so the blocks in use are strictly ordered by their claims and
 * never overlap. A refused claim means the counter is behind the mark (or another process claimed a later block
 * first): the counter is raised to the mark and a new block reserved. The refused block was never used.
 */
public final class DurableBlockSource implements CodeAllocator.BlockSource {

    /** The shared counter (Redis). */
    public interface Counter {
        /** Atomically adds {@code count}; the new value, the end of the reserved block. */
        long add(int count);

        /** Sets the counter to {@code value} unless it is already at least that. */
        void raiseTo(long value);
    }

    /** The durable high-water mark (DynamoDB): every counter value below it may have been handed out. */
    public interface HighWaterMark {
        /**
         * Moves the mark to {@code end} if it is at most {@code start}, atomically; empty when it did, otherwise
         * the mark that refused the block.
         */
        OptionalLong claim(long start, long end);
    }

    /** Every claim of a reservation was refused (processes racing for blocks): a try later succeeds. */
    public static final class Contended extends RuntimeException {
        Contended(int attempts) {
            super("no counter block above the high-water mark after " + attempts + " attempts");
        }
    }

    private final Counter counter;
    private final HighWaterMark mark;
    private final int attempts;

    public DurableBlockSource(Counter counter, HighWaterMark mark, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.counter = counter;
        this.mark = mark;
        this.attempts = attempts;
    }

    @Override
    public long reserve(int count) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            long end = counter.add(count);
            OptionalLong refused = mark.claim(end - count, end);
            if (refused.isEmpty()) {
                return end;
            }
            counter.raiseTo(refused.getAsLong());
        }
        throw new Contended(attempts);
    }
}
