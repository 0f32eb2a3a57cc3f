package dev.blocks.kit.ratelimit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Many threads deciding requests on one counter through a {@link RateLimiter}, from a start to an end moment on
 * the Redis server's clock, recording every admission with the server time the script decided it at. Runs in the
 * test JVM and, through {@link #main}, in a second JVM, so two processes with separate clients and connection
 * pools compete for the same key.
 *
 * <p>Second-JVM protocol: arguments {@code <redis uri> <threads>}; it prints {@code ready}, then for every stdin
 * line {@code run <algorithm> <limit> <windowSeconds> <burst> <ruleId> <startMs> <endMs> <outFile>} it hammers,
 * writes {@code <serverTimeMs> <cost>} per admission to the file and prints {@code done <decisions>}. It exits
 * when stdin closes.
 */
final class AdmissionHammer {

    record Admission(long serverTimeMs, long cost) {}

    record Result(List<Admission> admissions, long decisions, long uncounted) {}

    private AdmissionHammer() {}

    static Result hammer(TestRedis redis, Rule rule, int threads, long startServerMs, long endServerMs)
            throws InterruptedException {
        RateLimiter limiter = new RateLimiter(redis.store(), () -> RuleSet.of(rule),
                RateLimiterSettings.defaults().withTimeout(Duration.ofSeconds(10)).withRememberRefusals(false));
        // Threads start together at a moment on the server's clock; this host's clock only schedules the start.
        long startLocalNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startServerMs - redis.serverTimeMillis());
        List<Admission> admissions = Collections.synchronizedList(new ArrayList<>());
        AtomicLong decisions = new AtomicLong();
        AtomicLong uncounted = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(threads);
        long giveUpNanos = startLocalNanos + TimeUnit.MILLISECONDS.toNanos(endServerMs - startServerMs + 30_000);
        for (int t = 0; t < threads; t++) {
            long cost = t % 8 == 0 ? 3 : 1;
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() - startLocalNanos < 0) {
                        LockSupport.parkNanos(Math.min(startLocalNanos - System.nanoTime(), 1_000_000));
                    }
                    LimitRequest request = LimitRequest.forRoute("POST /v1/links").withApiKey("hammered").withCost(cost);
                    while (System.nanoTime() - giveUpNanos < 0) {
                        Decision decision = limiter.check(request);
                        decisions.incrementAndGet();
                        if (decision.source() != Decision.Source.COUNTED) {
                            uncounted.incrementAndGet();
                            continue;
                        }
                        if (decision.allowed()) {
                            admissions.add(new Admission(decision.timeMs(), cost));
                        }
                        if (decision.timeMs() >= endServerMs) {
                            return;
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "hammer-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        if (!finished.await(endServerMs - startServerMs + 60_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("hammer threads did not finish");
        }
        return new Result(List.copyOf(admissions), decisions.get(), uncounted.get());
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int threads = Integer.parseInt(args[1]);
        try (TestRedis redis = TestRedis.connect(uri);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            redis.store().load().toCompletableFuture().get(10, TimeUnit.SECONDS);
            System.out.println("ready");
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (!f[0].equals("run")) {
                    continue;
                }
                Rule rule = Rule.of(f[5], Algorithm.valueOf(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]))
                        .withBurst(Long.parseLong(f[4])).withKeyBy(KeyPart.API_KEY);
                Result result = hammer(redis, rule, threads, Long.parseLong(f[6]), Long.parseLong(f[7]));
                write(Path.of(f[8]), result);
                System.out.println("done " + result.decisions() + " " + result.uncounted());
                System.out.flush();
            }
        }
        System.exit(0);
    }

    private static void write(Path file, Result result) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Admission a : result.admissions()) {
            lines.add(a.serverTimeMs() + " " + a.cost());
        }
        Files.write(file, lines);
    }

    static List<Admission> read(Path file) throws IOException {
        List<Admission> admissions = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                String[] f = line.split(" ");
                admissions.add(new Admission(Long.parseLong(f[0]), Long.parseLong(f[1])));
            }
        }
        return admissions;
    }
}
