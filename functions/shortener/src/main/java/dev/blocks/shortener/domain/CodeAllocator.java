package dev.blocks.shortener.domain;

/**
 * Hands out codes from counter blocks: one shared counter round trip reserves {@code blockSize} consecutive
 * counter values for this process, which then become codes without any further I/O. Blocks of different
 * processes never overlap (the counter is atomic), and the scrambler is a bijection, so codes never collide.
 * Values of a block left unused when a process ends are simply skipped.
 */
public final class CodeAllocator {

    /** The shared counter: atomically adds {@code count} and returns the new value (the end of the block). */
    @FunctionalInterface
    public interface BlockSource {
        long reserve(int count);
    }

    private final BlockSource source;
    private final int blockSize;
    private final CodeScrambler scrambler;
    private long next;
    private long end;

    public CodeAllocator(BlockSource source, int blockSize, CodeScrambler scrambler) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be at least 1");
        }
        this.source = source;
        this.blockSize = blockSize;
        this.scrambler = scrambler;
    }

    /** The next code; reserves a new block first when this one is used up. */
    public synchronized String next() {
        if (next == end) {
            long blockEnd = source.reserve(blockSize);
            if (blockEnd < blockSize) {
                throw new IllegalStateException("the counter returned " + blockEnd + ", less than one block");
            }
            if (blockEnd > scrambler.size()) {
                throw new IllegalStateException("the code space is exhausted (counter at " + blockEnd + ")");
            }
            next = blockEnd - blockSize;
            end = blockEnd;
        }
        return Base62.encode(scrambler.scramble(next++), Base62.CODE_LENGTH);
    }

    /** Drops the rest of the current block, so that the next code comes from a freshly reserved one. */
    public synchronized void abandonBlock() {
        next = end;
    }
}
