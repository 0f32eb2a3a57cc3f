package dev.blocks.bench.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs a workload from {@code concurrency} threads, each deciding one request after another (closed loop, like
 * redis-benchmark's clients), first for a warm-up, then for the measured period; latency per decision goes to an
 * HdrHistogram per thread, merged at the end.
 */
final class LoadRun {

    record Result(String name, long decisions, long admitted, double seconds, Histogram latencyNanos) {
        double perSecond() {
            return decisions / seconds;
        }

        double p50Micros() {
            return latencyNanos.getValueAtPercentile(50) / 1000.0;
        }

        double p99Micros() {
            return latencyNanos.getValueAtPercentile(99) / 1000.0;
        }

        Sample sample() {
            return new Sample(name, perSecond(), p50Micros(), p99Micros());
        }
    }

    private LoadRun() {}

    static Result run(Workload workload, int concurrency, Duration warmUp, Duration measure) throws Exception {
        List<Histogram> histograms = new ArrayList<>();
        long[] decisions = new long[concurrency];
        long[] admitted = new long[concurrency];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long measureTo = measureFrom + measure.toNanos();
        for (int t = 0; t < concurrency; t++) {
            Histogram histogram = new Histogram(60_000_000_000L, 3);
            histograms.add(histogram);
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    long i = 0;
                    while (true) {
                        long before = System.nanoTime();
                        if (before >= measureTo) {
                            return;
                        }
                        boolean allowed = workload.decide(thread, i++);
                        long after = System.nanoTime();
                        if (before >= measureFrom) {
                            histogram.recordValue(after - before);
                            decisions[thread]++;
                            if (allowed) {
                                admitted[thread]++;
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, workload.name() + "-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException(workload.name() + " failed", failure.get());
        }
        Histogram merged = new Histogram(60_000_000_000L, 3);
        histograms.forEach(merged::add);
        long total = 0;
        long allowed = 0;
        for (int t = 0; t < concurrency; t++) {
            total += decisions[t];
            allowed += admitted[t];
        }
        return new Result(workload.name(), total, allowed, measure.toNanos() / 1e9, merged);
    }
}
