package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodeScramblerTest {

    private static final CodeScrambler CODES = CodeScrambler.forCodes(0x5EED_CAFEL);

    /** Exhaustive: every value of a small domain is hit exactly once, for several keys and a size needing walks. */
    @Test
    void isAPermutationOfASmallDomainForEveryKeyTried() {
        for (long key : new long[] {0, 1, 42, -1, 0x1234_5678_9ABCL}) {
            for (long size : new long[] {1, 2, 61, 62, 40_000, 65_536}) {
                CodeScrambler scrambler = new CodeScrambler(size, 8, key);
                BitSet seen = new BitSet((int) size);
                for (long v = 0; v < size; v++) {
                    long s = scrambler.scramble(v);
                    assertThat(s).isBetween(0L, size - 1);
                    assertThat(seen.get((int) s)).as("value %d of size %d key %d collides", v, size, key).isFalse();
                    seen.set((int) s);
                    assertThat(scrambler.unscramble(s)).isEqualTo(v);
                }
                assertThat(seen.cardinality()).isEqualTo((int) size);
            }
        }
    }

    /** An inverse on the full code space proves injectivity there: equal outputs would need equal inputs. */
    @Test
    void unscrambleInvertsScrambleOverTheWholeCodeSpace() {
        SplittableRandom random = new SplittableRandom(20261124);
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong(Base62.CODE_SPACE);
            long s = CODES.scramble(v);
            assertThat(s).isBetween(0L, Base62.CODE_SPACE - 1);
            assertThat(CODES.unscramble(s)).isEqualTo(v);
        }
    }

    @Test
    void theFirstMillionCountersGiveAMillionDistinctCodes() {
        Set<Long> seen = new HashSet<>(2_000_000);
        for (long v = 0; v < 1_000_000; v++) {
            assertThat(seen.add(CODES.scramble(v))).isTrue();
        }
    }

    @Test
    void theEndsOfTheSpaceAreInRange() {
        for (long v : new long[] {0, 1, Base62.CODE_SPACE - 2, Base62.CODE_SPACE - 1}) {
            assertThat(CODES.unscramble(CODES.scramble(v))).isEqualTo(v);
        }
        assertThatThrownBy(() -> CODES.scramble(Base62.CODE_SPACE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CODES.scramble(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CODES.unscramble(Base62.CODE_SPACE)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Consecutive counters must not look consecutive: neighbouring codes share few characters and no order. */
    @Test
    void consecutiveCountersGiveUnrelatedCodes() {
        int samePositions = 0;
        int ascending = 0;
        int pairs = 10_000;
        String previous = Base62.encode(CODES.scramble(0), 7);
        for (long v = 1; v <= pairs; v++) {
            String code = Base62.encode(CODES.scramble(v), 7);
            for (int i = 0; i < 7; i++) {
                if (code.charAt(i) == previous.charAt(i)) {
                    samePositions++;
                }
            }
            if (code.compareTo(previous) > 0) {
                ascending++;
            }
            previous = code;
        }
        // Random codes agree on 7/62 ≈ 0.11 positions per pair and ascend half of the time.
        assertThat(samePositions / (double) pairs).isLessThan(0.2);
        assertThat(ascending / (double) pairs).isBetween(0.45, 0.55);
    }

    @Test
    void anotherKeyIsAnotherPermutation() {
        CodeScrambler other = CodeScrambler.forCodes(0x5EED_CAFFL);
        int same = 0;
        for (long v = 0; v < 1000; v++) {
            if (other.scramble(v) == CODES.scramble(v)) {
                same++;
            }
        }
        assertThat(same).isLessThan(2);
    }

    @Test
    void refusesDomainsThatDoNotFit() {
        assertThatThrownBy(() -> new CodeScrambler(1L << 17, 8, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodeScrambler(0, 8, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CodeScrambler(10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
