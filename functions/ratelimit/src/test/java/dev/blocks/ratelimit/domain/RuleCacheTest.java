package dev.blocks.ratelimit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.kit.ratelimit.Algorithm;
import dev.blocks.kit.ratelimit.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache on a clock the test moves, over a store the test changes and breaks. */
class RuleCacheTest {

    private static final Rule CONFIGURED = Rule.of("global", Algorithm.GCRA, 1000, 60);
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(-5 * SECOND); // nanoTime may be negative
    private final Store store = new Store();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final RuleCache cache = new RuleCache(List.of(CONFIGURED), store, Duration.ofSeconds(3), clock::get,
            new RuleCache.Listener() {
                @Override
                public void refreshed(RuleCatalog catalog, boolean changed) {
                    events.add("refreshed changed=" + changed);
                }

                @Override
                public void failed(RuntimeException error, boolean storedKnown) {
                    events.add("failed storedKnown=" + storedKnown);
                }
            });

    @Test
    void readsTheStoreOncePerPeriodWhateverTheNumberOfChecks() {
        store.rules.add(Rule.of("login", Algorithm.SLIDING_LOG, 5, 60));
        for (int i = 0; i < 1000; i++) {
            assertThat(cache.current().find("login")).isPresent();
        }
        assertThat(store.reads).hasValue(1);

        clock.addAndGet(3 * SECOND - 1);
        cache.current();
        assertThat(store.reads).hasValue(1);
        clock.addAndGet(1);
        cache.current();
        assertThat(store.reads).hasValue(2);
        assertThat(events).containsExactly("refreshed changed=true", "refreshed changed=false");
    }

    @Test
    void aChangedRuleAppliesToEveryCheckMadeARefreshPeriodAfterTheChange() {
        Rule before = Rule.of("login", Algorithm.SLIDING_LOG, 5, 60);
        Rule after = Rule.of("login", Algorithm.SLIDING_LOG, 50, 60);
        // The change lands at every offset within a period after the last read, checks keep coming meanwhile.
        for (long offset = 0; offset < 3 * SECOND; offset += SECOND / 4) {
            Store changing = new Store();
            changing.rules.add(before);
            AtomicLong now = new AtomicLong(7 * SECOND);
            RuleCache fresh = new RuleCache(List.of(), changing, Duration.ofSeconds(3), now::get, silent());
            fresh.current();
            now.addAndGet(offset);
            changing.rules.set(0, after);
            long changedAt = now.get();
            while (now.get() < changedAt + 3 * SECOND) {
                fresh.current();
                now.addAndGet(SECOND / 10);
            }
            now.set(changedAt + 3 * SECOND);
            assertThat(fresh.current().find("login")).as("change %d ms after a read", offset / 1_000_000).contains(after);
        }
    }

    private static RuleCache.Listener silent() {
        return new RuleCache.Listener() {
            @Override
            public void refreshed(RuleCatalog catalog, boolean changed) {}

            @Override
            public void failed(RuntimeException error, boolean storedKnown) {}
        };
    }

    @Test
    void aDeletedRuleIsGoneAfterTheNextRead() {
        store.rules.add(Rule.of("login", Algorithm.SLIDING_LOG, 5, 60));
        assertThat(cache.current().find("login")).isPresent();
        store.rules.clear();
        clock.addAndGet(3 * SECOND);
        assertThat(cache.current().find("login")).isEmpty();
        assertThat(cache.current().storedKnown()).isTrue();
        assertThat(cache.current().find("global")).as("configured rules stay").contains(CONFIGURED);
    }

    @Test
    void aFailedReadKeepsTheRulesLastReadAndIsRetriedAPeriodLater() {
        store.rules.add(Rule.of("login", Algorithm.SLIDING_LOG, 5, 60));
        cache.current();
        store.failing = true;
        clock.addAndGet(3 * SECOND);

        assertThat(cache.current().find("login")).isPresent();
        cache.current();
        assertThat(store.reads).as("no read per check while the store is down").hasValue(2);

        store.failing = false;
        store.rules.clear();
        clock.addAndGet(3 * SECOND);
        assertThat(cache.current().find("login")).isEmpty();
        assertThat(events).containsExactly("refreshed changed=true", "failed storedKnown=true", "refreshed changed=true");
    }

    @Test
    void untilTheFirstReadSucceedsOnlyConfiguredRulesAreKnown() {
        store.failing = true;
        RuleCatalog catalog = cache.current();
        assertThat(catalog.storedKnown()).isFalse();
        assertThat(catalog.find("global")).contains(CONFIGURED);
        assertThat(cache.lastRead()).isSameAs(catalog);
        assertThat(events).containsExactly("failed storedKnown=false");
    }

    @Test
    void lastReadNeverReads() {
        assertThat(cache.lastRead().storedKnown()).isFalse();
        assertThat(store.reads).hasValue(0);
    }

    @Test
    void concurrentChecksOnStaleRulesCauseOneRead() throws InterruptedException {
        List<Boolean> known = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread thread = new Thread(() -> known.add(cache.current().storedKnown()));
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(known).hasSize(8).containsOnly(true);
        assertThat(store.reads).hasValue(1);
    }

    private static final class Store implements RuleSource {
        final List<Rule> rules = new CopyOnWriteArrayList<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean failing;

        @Override
        public List<Rule> all() {
            reads.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("table unreachable");
            }
            return List.copyOf(rules);
        }
    }
}
