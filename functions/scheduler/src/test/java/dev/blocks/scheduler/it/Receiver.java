package dev.blocks.scheduler.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP endpoint that jobs target, on the test JVM's loopback (the test stack allows 127.0.0.1 and nothing else
 * private). It records every delivery and behaves as its path asks: {@code /ok}, {@code /fail/<n>} (fails the
 * first n deliveries of each job), {@code /fail} (always), {@code /hold} (the first delivery of each job waits
 * until {@link #release()}), {@code /slow/<ms>} (every delivery takes that long to answer; how many of a job's
 * deliveries are under way at once is recorded). Like a well-behaved receiver it applies each run's effect once per
 * Idempotency-Key.
 */
final class Receiver implements AutoCloseable {

    /** One delivery as received. */
    record Delivery(String path, String jobId, String idempotencyKey, int attempt, Instant receivedAt, String body) {

        /** The run's time, from its idempotency key {@code <jobId>@<scheduledAt>}. */
        Instant scheduledAt() {
            return Instant.parse(idempotencyKey.substring(idempotencyKey.lastIndexOf('@') + 1));
        }
    }

    /** One answered delivery of a slow path: when it came and when it was answered. */
    record Span(Delivery delivery, Instant answeredAt) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Set<String> effects = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> perJob = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> underWay = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostUnderWay = new ConcurrentHashMap<>();
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Delivery> deliveries(String jobId) {
        return deliveries.stream().filter(d -> jobId.equals(d.jobId())).toList();
    }

    List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    /** How many distinct runs had their effect applied for {@code jobId}. */
    long effects(String jobId) {
        return effects.stream().filter(k -> k.startsWith(jobId + "@")).count();
    }

    /** The most deliveries of {@code jobId} the receiver was answering at the same moment (slow paths only). */
    int mostAtOnce(String jobId) {
        AtomicInteger most = mostUnderWay.get(jobId);
        return most == null ? 0 : most.get();
    }

    /** The answered deliveries of {@code jobId} on slow paths, in the order they were answered. */
    List<Span> spans(String jobId) {
        return spans.stream().filter(s -> jobId.equals(s.delivery().jobId())).toList();
    }

    boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String jobId = exchange.getRequestHeaders().getFirst("X-Job-Id");
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        String attempt = exchange.getRequestHeaders().getFirst("X-Job-Attempt");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Delivery delivery = new Delivery(path, jobId, key, attempt == null ? 0 : Integer.parseInt(attempt), Instant.now(), body);
        deliveries.add(delivery);
        int seen = perJob.computeIfAbsent(String.valueOf(jobId), k -> new AtomicInteger()).incrementAndGet();
        int status = 204;
        if (path.equals("/fail")) {
            status = 500;
        } else if (path.startsWith("/fail/")) {
            status = seen <= Integer.parseInt(path.substring(6)) ? 503 : 204;
        } else if (path.startsWith("/slow/")) {
            slow(delivery, Long.parseLong(path.substring(6)));
        } else if (path.equals("/hold") && seen == 1) {
            held.countDown();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (status == 204 && key != null) {
            effects.add(key);
        }
        try {
            exchange.sendResponseHeaders(status, -1);
        } catch (IOException e) {
            // The worker that sent this delivery is gone.
        }
        exchange.close();
    }

    private void slow(Delivery delivery, long millis) {
        String job = String.valueOf(delivery.jobId());
        int now = underWay.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet();
        mostUnderWay.computeIfAbsent(job, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            underWay.get(job).decrementAndGet();
            spans.add(new Span(delivery, Instant.now()));
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
