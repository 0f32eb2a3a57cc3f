package dev.blocks.shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CodeAllocatorTest {

    private static final CodeScrambler SCRAMBLER = CodeScrambler.forCodes(7);

    /** A counter in memory stands in for Redis INCRBY: the allocator only needs "add and return". */
    private static final class Counter implements CodeAllocator.BlockSource {
        final AtomicLong value = new AtomicLong();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public long reserve(int count) {
            calls.incrementAndGet();
            return value.addAndGet(count);
        }
    }

    @Test
    void reservesOneBlockPerBlockSizeCodes() {
        Counter counter = new Counter();
        CodeAllocator allocator = new CodeAllocator(counter, 100, SCRAMBLER);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            codes.add(allocator.next());
        }
        assertThat(codes).hasSize(1000).allMatch(c -> c.matches("[0-9A-Za-z]{7}"));
        assertThat(counter.calls).hasValue(10);
    }

    @Test
    void codesAreTheScrambledCounterValuesOfTheReservedBlock() {
        Counter counter = new Counter();
        counter.value.set(5000);
        CodeAllocator allocator = new CodeAllocator(counter, 10, SCRAMBLER);
        List<Long> counters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            counters.add(SCRAMBLER.unscramble(Base62.decode(allocator.next())));
        }
        assertThat(counters).containsExactly(5000L, 5001L, 5002L, 5003L, 5004L, 5005L, 5006L, 5007L, 5008L, 5009L);
    }

    /** Several allocators (processes) on one counter, each used by several threads: no code twice. */
    @Test
    void allocatorsSharingACounterNeverCollide() throws Exception {
        Counter counter = new Counter();
        List<CodeAllocator> allocators = List.of(new CodeAllocator(counter, 7, SCRAMBLER),
                new CodeAllocator(counter, 13, SCRAMBLER), new CodeAllocator(counter, 1000, SCRAMBLER));
        Set<String> codes = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                CodeAllocator allocator = allocators.get(t % allocators.size());
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 5000; i++) {
                        if (!codes.add(allocator.next())) {
                            duplicates.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(codes).hasSize(30_000);
    }

    @Test
    void abandoningABlockReservesANewOne() {
        Counter counter = new Counter();
        CodeAllocator allocator = new CodeAllocator(counter, 1000, SCRAMBLER);
        allocator.next();
        allocator.abandonBlock();
        String code = allocator.next();
        assertThat(SCRAMBLER.unscramble(Base62.decode(code))).isEqualTo(1000L);
        assertThat(counter.calls).hasValue(2);
    }

    @Test
    void aFailingCounterFailsTheCallAndIsAskedAgainNextTime() {
        AtomicInteger calls = new AtomicInteger();
        CodeAllocator allocator = new CodeAllocator(count -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("redis down");
            }
            return count;
        }, 10, SCRAMBLER);
        assertThatThrownBy(allocator::next).hasMessageContaining("redis down");
        assertThat(allocator.next()).hasSize(7);
    }

    @Test
    void refusesACounterBeyondTheCodeSpaceOrBelowOneBlock() {
        assertThatThrownBy(() -> new CodeAllocator(count -> Base62.CODE_SPACE + count, 10, SCRAMBLER).next())
                .hasMessageContaining("exhausted");
        assertThatThrownBy(() -> new CodeAllocator(count -> 3, 10, SCRAMBLER).next())
                .hasMessageContaining("less than one block");
        assertThatThrownBy(() -> new CodeAllocator(count -> count, 0, SCRAMBLER)).isInstanceOf(IllegalArgumentException.class);
    }
}
