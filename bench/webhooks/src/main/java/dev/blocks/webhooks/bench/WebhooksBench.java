package dev.blocks.webhooks.bench;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.blocks.kit.net.GuardedHttpClient;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.net.PinnedAddress;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.SecretSet;
import dev.blocks.webhooks.domain.Signatures;
import dev.blocks.webhooks.domain.WebhookSecret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * One run, one report: inbound verifications per second (this project's verifier beside the Standard Webhooks
 * reference library, on the same 1 KiB request), and signed deliveries per second to a receiver on this machine
 * through the guarded client (SSRF check, pinned address, deadline, excerpt), on 1 and 16 threads. Loops are
 * bounded in count; everything stays on loopback.
 */
public final class WebhooksBench {

    private static final int VERIFY_ROUNDS = 5;
    private static final int VERIFICATIONS = 200_000;
    private static final int DELIVERIES = 20_000;

    public static void main(String[] args) throws Exception {
        byte[] body = body();
        String secret = WebhookSecret.generate();
        Signatures standard = Scheme.STANDARD.signatures(null);
        List<byte[]> keys = SecretSet.of(secret).keys(standard);
        Instant now = Instant.now();
        Map<String, String> headers = standard.sign("msg_bench", now, body, keys);
        Map<String, List<String>> referenceHeaders = Map.of("webhook-id", List.of(headers.get("webhook-id")),
                "webhook-timestamp", List.of(headers.get("webhook-timestamp")),
                "webhook-signature", List.of(headers.get("webhook-signature")));
        Webhook reference = new Webhook(secret);
        String text = new String(body, StandardCharsets.UTF_8);
        Duration tolerance = Duration.ofMinutes(5);

        System.out.printf("machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        double ours = best(VERIFY_ROUNDS, VERIFICATIONS, i -> {
            if (!standard.verify(headers, body, keys, Instant.now(), tolerance).valid()) {
                throw new IllegalStateException("did not verify");
            }
        });
        double theirs = best(VERIFY_ROUNDS, VERIFICATIONS, i -> {
            try {
                reference.verify(text, referenceHeaders);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Signatures github = Scheme.GITHUB.signatures(null);
        List<byte[]> githubKeys = SecretSet.of("bench-secret").keys(github);
        Map<String, String> githubHeaders = github.sign("d", now, body, githubKeys);
        double githubRate = best(VERIFY_ROUNDS, VERIFICATIONS, i -> github.verify(githubHeaders, body, githubKeys, now, tolerance));
        Signatures stripe = Scheme.STRIPE.signatures(null);
        List<byte[]> stripeKeys = SecretSet.of("whsec_bench_secret").keys(stripe);
        Map<String, String> stripeHeaders = stripe.sign(null, now, body, stripeKeys);
        double stripeRate = best(VERIFY_ROUNDS, VERIFICATIONS, i -> stripe.verify(stripeHeaders, body, stripeKeys, Instant.now(), tolerance));

        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(16);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        OutboundGuard guard = new OutboundGuard(Set.of("127.0.0.1"), PinnedAddress.HostResolver.SYSTEM);
        double one;
        double sixteen;
        try (GuardedHttpClient client = new GuardedHttpClient(guard, Duration.ofSeconds(15), 32, 8, "bench")) {
            IntConsumer deliver = i -> {
                Map<String, String> signed = standard.sign("msg_" + i, Instant.now(), body, keys);
                GuardedHttpClient.Answer result = client.post(url, signed, body);
                if (!result.succeeded()) {
                    throw new IllegalStateException("delivery failed: " + (result.status() == 0 ? result.error() : "HTTP " + result.status()));
                }
            };
            one = best(3, DELIVERIES, deliver);
            sixteen = parallel(16, DELIVERIES * 4, deliver);
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }

        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        System.out.printf("| inbound verifications/s, Standard Webhooks, this project (1 KiB body, 1 thread) | %,.0f |%n", ours);
        System.out.printf("| inbound verifications/s, Standard Webhooks, reference library 1.1.0 (same request) | %,.0f |%n", theirs);
        System.out.printf("| inbound verifications/s, GitHub scheme (1 thread) | %,.0f |%n", githubRate);
        System.out.printf("| inbound verifications/s, Stripe scheme (1 thread) | %,.0f |%n", stripeRate);
        System.out.printf("| signed deliveries/s to a local receiver, 1 thread | %,.0f |%n", one);
        System.out.printf("| signed deliveries/s to a local receiver, 16 threads | %,.0f |%n", sixteen);
    }

    /** The best of {@code rounds} timed runs of {@code count} operations, in operations per second. */
    private static double best(int rounds, int count, IntConsumer operation) {
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                operation.accept(i);
            }
            best = Math.max(best, count / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }

    private static double parallel(int threads, int count, IntConsumer operation) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    tasks.add(pool.submit(() -> {
                        for (int i = offset; i < count; i += threads) {
                            operation.accept(i);
                        }
                    }));
                }
                for (Future<?> task : tasks) {
                    task.get();
                }
                best = Math.max(best, count / ((System.nanoTime() - start) / 1e9));
            }
            return best;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] body() {
        StringBuilder json = new StringBuilder("{\"type\":\"invoice.paid\",\"timestamp\":\"2026-11-24T12:00:00Z\",\"data\":{");
        for (int i = 0; json.length() < 1000; i++) {
            json.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":\"value ").append(i).append('"');
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
