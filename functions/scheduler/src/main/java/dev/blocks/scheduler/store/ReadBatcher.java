package dev.blocks.scheduler.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gathers the reads of concurrent callers into batch calls. The runs of a worker's batch wake at the same moment
 * (they are due in the same second) and each wants its job; one BatchGetItem for all of them is one round trip
 * where a GetItem each would be a hundred, queued behind each other. The caller that opens a group waits up to
 * {@code linger} for others to join (less once the group is full, at {@code maxKeys}), then reads for everyone.
 * Every caller gets back what the batch call returned for its own keys.
 *
 * @param <K> a key (equal keys are read once per group)
 * @param <V> what a key reads to (absent from the result map: no such item)
 */
final class ReadBatcher<K, V> {

    private final Function<List<K>, Map<K, V>> readAll;
    private final long lingerNanos;
    private final int maxKeys;
    private Group current;

    /** {@code readAll} reads at most {@code maxKeys} distinct keys in one call and may omit keys it found nothing for. */
    ReadBatcher(Function<List<K>, Map<K, V>> readAll, Duration linger, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive");
        }
        this.readAll = readAll;
        this.lingerNanos = linger.toNanos();
        this.maxKeys = maxKeys;
    }

    /** Reads {@code keys} (at most {@code maxKeys}) together with whatever other callers read at the same time. */
    Map<K, V> read(List<K> keys) {
        if (keys.size() > maxKeys) {
            throw new IllegalArgumentException("at most " + maxKeys + " keys per read");
        }
        Group group;
        boolean leader = false;
        synchronized (this) {
            if (current != null && !current.fits(keys)) {
                current.close();
                current = null;
            }
            if (current == null) {
                current = new Group();
                leader = true;
            }
            group = current;
            group.keys.addAll(keys);
            if (group.keys.size() >= maxKeys) {
                group.close();
                current = null;
            }
        }
        try {
            if (leader) {
                // Until the linger is over or the group is full, whichever comes first.
                group.closed.await(lingerNanos, TimeUnit.NANOSECONDS);
                List<K> gathered;
                synchronized (this) {
                    if (current == group) {
                        current = null;
                    }
                    gathered = new ArrayList<>(group.keys);
                }
                group.read(gathered);
            }
            return group.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The keys gathered for one batch call (read by the caller that opened it), and its result once read. */
    private final class Group {
        final LinkedHashSet<K> keys = new LinkedHashSet<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final CompletableFuture<Map<K, V>> result = new CompletableFuture<>();

        boolean fits(List<K> more) {
            int added = 0;
            for (K key : more) {
                if (!keys.contains(key)) {
                    added++;
                }
            }
            return keys.size() + added <= maxKeys;
        }

        /** No more keys join: the group is full, or the next caller's keys would not fit. */
        void close() {
            closed.countDown();
        }

        void read(List<K> gathered) {
            try {
                result.complete(readAll.apply(gathered));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }
}
