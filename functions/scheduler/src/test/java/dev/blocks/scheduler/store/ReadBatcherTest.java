package dev.blocks.scheduler.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadBatcherTest {

    /** Long enough that a group only ends by filling up, never by its linger, in the tests that count calls. */
    private static final Duration NEVER = Duration.ofMinutes(5);

    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** Every key reads to its upper case, except keys starting with "missing". */
    private Map<String, String> store(List<String> keys) {
        calls.add(List.copyOf(keys));
        Map<String, String> found = new HashMap<>();
        keys.stream().filter(k -> !k.startsWith("missing")).forEach(k -> found.put(k, k.toUpperCase()));
        return found;
    }

    @Test
    void concurrentReadsThatFillAGroupGoOutAsOneCall() throws Exception {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(this::store, NEVER, 4);
        List<Future<Map<String, String>>> results = new ArrayList<>();
        for (String key : List.of("a", "b", "c", "d")) {
            results.add(callers.submit(() -> batcher.read(List.of(key))));
        }
        assertThat(results.get(0).get()).containsEntry("a", "A");
        assertThat(results.get(3).get()).containsEntry("d", "D");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void aLoneReadGoesOutWhenItsLingerIsOver() {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(this::store, Duration.ofMillis(1), 100);
        assertThat(batcher.read(List.of("job", "run"))).containsEntry("job", "JOB").containsEntry("run", "RUN");
        assertThat(calls).containsExactly(List.of("job", "run"));
    }

    @Test
    void keysWithNothingStoredAreAbsent() {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(this::store, Duration.ofMillis(1), 100);
        assertThat(batcher.read(List.of("job", "missing-run"))).containsOnlyKeys("job");
    }

    @Test
    void aKeyAskedTwiceIsReadOnce() throws Exception {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(this::store, NEVER, 3);
        Future<Map<String, String>> first = callers.submit(() -> batcher.read(List.of("a", "b")));
        Future<Map<String, String>> second = callers.submit(() -> batcher.read(List.of("b", "c")));
        assertThat(first.get()).containsEntry("a", "A").containsEntry("b", "B");
        assertThat(second.get()).containsEntry("b", "B").containsEntry("c", "C");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void noCallAsksForMoreThanTheLimitAndEveryCallerGetsItsOwnItems() throws Exception {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(this::store, Duration.ofMillis(20), 7);
        List<Future<Map<String, String>>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<String> keys = List.of("job" + i, "run" + (i % 9));
            results.add(callers.submit(() -> batcher.read(keys)));
        }
        for (int i = 0; i < 60; i++) {
            assertThat(results.get(i).get()).containsEntry("job" + i, "JOB" + i).containsEntry("run" + (i % 9), "RUN" + (i % 9));
        }
        assertThat(calls).allSatisfy(call -> {
            assertThat(call).hasSizeLessThanOrEqualTo(7);
            assertThat(new HashSet<>(call)).hasSameSizeAs(call);
        });
    }

    @Test
    void aFailedCallFailsEveryCallerOfItsGroup() {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(keys -> {
            throw new IllegalStateException("the store is down");
        }, NEVER, 2);
        Future<Map<String, String>> first = callers.submit(() -> batcher.read(List.of("a")));
        Future<Map<String, String>> second = callers.submit(() -> batcher.read(List.of("b")));
        for (Future<Map<String, String>> result : List.of(first, second)) {
            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("the store is down");
        }
    }

    @Test
    void moreKeysThanOneCallTakesAreRefused() {
        ReadBatcher<String, String> batcher = new ReadBatcher<>(this::store, NEVER, 2);
        assertThatThrownBy(() -> batcher.read(List.of("a", "b", "c"))).isInstanceOf(IllegalArgumentException.class);
    }
}
