package dev.blocks.shortener.domain;

/**
 * A keyed permutation of {@code [0, size)}: consecutive counter values map to unrelated-looking values, and two
 * different counters never map to the same value, so codes stay unique by construction while revealing neither
 * their order nor how many links exist.
 *
 * <p>A balanced Feistel network over {@code 2 * halfBits} bits is a bijection whatever its round function
 * (each round is undone by the same XOR), and cycle-walking (re-applying it until the result falls inside
 * {@code [0, size)}) restricts a bijection of the larger power-of-two domain to a bijection of the smaller one.
 * For codes, {@code size} is 62^7 ≈ 2^41.7 inside 2^42, so a walk takes 1.25 steps on average.
 *
 * <p>The key must never change once codes were handed out: another key is another permutation.
 */
public final class CodeScrambler {

    private static final int ROUNDS = 6;

    private final long size;
    private final int halfBits;
    private final long halfMask;
    private final long[] roundKeys = new long[ROUNDS];

    /** The scrambler of 7-character codes. */
    public static CodeScrambler forCodes(long key) {
        return new CodeScrambler(Base62.CODE_SPACE, 21, key);
    }

    CodeScrambler(long size, int halfBits, long key) {
        if (halfBits < 1 || halfBits > 31) {
            throw new IllegalArgumentException("halfBits must be 1..31");
        }
        if (size < 1 || size > 1L << (2 * halfBits)) {
            throw new IllegalArgumentException("size " + size + " does not fit in " + 2 * halfBits + " bits");
        }
        this.size = size;
        this.halfBits = halfBits;
        this.halfMask = (1L << halfBits) - 1;
        long state = key;
        for (int i = 0; i < ROUNDS; i++) {
            state += 0x9E3779B97F4A7C15L;
            roundKeys[i] = mix(state);
        }
    }

    public long size() {
        return size;
    }

    public long scramble(long value) {
        checkRange(value);
        long x = value;
        do {
            x = forward(x);
        } while (x >= size);
        return x;
    }

    public long unscramble(long scrambled) {
        checkRange(scrambled);
        long x = scrambled;
        do {
            x = backward(x);
        } while (x >= size);
        return x;
    }

    private long forward(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int i = 0; i < ROUNDS; i++) {
            long next = left ^ round(right, roundKeys[i]);
            left = right;
            right = next;
        }
        return left << halfBits | right;
    }

    private long backward(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int i = ROUNDS - 1; i >= 0; i--) {
            long previous = right ^ round(left, roundKeys[i]);
            right = left;
            left = previous;
        }
        return left << halfBits | right;
    }

    private long round(long half, long roundKey) {
        return mix(half ^ roundKey) & halfMask;
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void checkRange(long value) {
        if (value < 0 || value >= size) {
            throw new IllegalArgumentException(value + " is outside [0, " + size + ")");
        }
    }
}
