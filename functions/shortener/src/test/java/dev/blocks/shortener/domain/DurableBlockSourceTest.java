package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A counter that goes backwards (restore, failover) must never make a block be handed out twice. */
class DurableBlockSourceTest {

    /** The shared counter as Redis keeps it, with the faults of the issue: reset to any earlier value. */
    private static final class Counter implements DurableBlockSource.Counter {
        long value;
        int raises;

        @Override
        public synchronized long add(int count) {
            value += count;
            return value;
        }

        @Override
        public synchronized void raiseTo(long target) {
            raises++;
            value = Math.max(value, target);
        }

        synchronized void reset(long to) {
            value = to;
        }
    }

    /** The durable mark as the conditional update keeps it: moved only from at most start, atomically. */
    private static final class Mark implements DurableBlockSource.HighWaterMark {
        long mark;
        int refusals;

        @Override
        public synchronized OptionalLong claim(long start, long end) {
            if (mark > start) {
                refusals++;
                return OptionalLong.of(mark);
            }
            mark = end;
            return OptionalLong.empty();
        }
    }

    @Test
    void blocksFollowTheCounterWhileItOnlyGrows() {
        Counter counter = new Counter();
        Mark mark = new Mark();
        DurableBlockSource source = new DurableBlockSource(counter, mark, 3);
        assertThat(source.reserve(10)).isEqualTo(10);
        assertThat(source.reserve(10)).isEqualTo(20);
        assertThat(mark.mark).isEqualTo(20);
        assertThat(counter.raises).isZero();
    }

    @Test
    void aCounterResetBelowTheMarkIsRaisedAndTheNextBlockStartsAtTheMark() {
        Counter counter = new Counter();
        Mark mark = new Mark();
        DurableBlockSource source = new DurableBlockSource(counter, mark, 3);
        source.reserve(10);
        source.reserve(10);
        counter.reset(5);
        assertThat(source.reserve(10)).isEqualTo(30); // [20, 30): the refused [5, 15) was never used
        assertThat(counter.raises).isEqualTo(1);
        counter.reset(0); // a replica that never saw the counter
        assertThat(source.reserve(10)).isEqualTo(40);
    }

    /** Every reset point and every value to reset to, on a small counter: no counter value handed out twice. */
    @Test
    void noValueIsHandedOutTwiceWhateverTheCounterIsResetToAndWhen() {
        int block = 3;
        for (int resetAfter = 0; resetAfter <= 6; resetAfter++) {
            for (long resetTo = 0; resetTo <= (resetAfter + 1) * block; resetTo++) {
                Counter counter = new Counter();
                DurableBlockSource source = new DurableBlockSource(counter, new Mark(), 3);
                Set<Long> handedOut = new HashSet<>();
                for (int i = 0; i < 10; i++) {
                    if (i == resetAfter) {
                        counter.reset(resetTo);
                    }
                    long end = source.reserve(block);
                    for (long v = end - block; v < end; v++) {
                        assertThat(handedOut.add(v)).as("value %d after a reset to %d at block %d", v, resetTo, resetAfter).isTrue();
                    }
                }
            }
        }
    }

    /** The test: codes through {@link CodeAllocator}, the counter reset again and again. */
    @Test
    void codesStayDistinctAcrossRepeatedCounterResets() {
        Counter counter = new Counter();
        CodeAllocator allocator = new CodeAllocator(new DurableBlockSource(counter, new Mark(), 3), 7,
                CodeScrambler.forCodes(99));
        Random random = new Random(3);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            if (random.nextInt(100) == 0) {
                counter.reset(random.nextLong(counter.value + 1));
            }
            assertThat(codes.add(allocator.next())).isTrue();
        }
        assertThat(counter.raises).isPositive();
    }

    /** Processes racing for blocks while the counter is reset under them. */
    @Test
    void concurrentProcessesNeverShareAValueThoughTheCounterGoesBack() throws Exception {
        Counter counter = new Counter();
        Mark mark = new Mark();
        Set<Long> handedOut = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> work = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int seed = p;
                work.add(pool.submit(() -> {
                    DurableBlockSource source = new DurableBlockSource(counter, mark, 1000);
                    Random random = new Random(seed);
                    int duplicates = 0;
                    for (int i = 0; i < 5_000; i++) {
                        if (random.nextInt(500) == 0) {
                            counter.reset(0);
                        }
                        long end = source.reserve(5);
                        for (long v = end - 5; v < end; v++) {
                            duplicates += handedOut.add(v) ? 0 : 1;
                        }
                    }
                    return duplicates;
                }));
            }
            for (Future<Integer> f : work) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(handedOut).hasSize(4 * 5_000 * 5);
    }

    @Test
    void givesUpAfterItsAttemptsWhenEveryClaimIsRefused() {
        DurableBlockSource source = new DurableBlockSource(new Counter(), (start, end) -> OptionalLong.of(end + 1), 4);
        assertThatThrownBy(() -> source.reserve(10)).isInstanceOf(DurableBlockSource.Contended.class);
        assertThatThrownBy(() -> new DurableBlockSource(new Counter(), (s, e) -> OptionalLong.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
