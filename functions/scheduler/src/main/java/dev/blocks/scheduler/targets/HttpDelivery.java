package dev.blocks.scheduler.targets;

import dev.blocks.kit.net.GuardedHttpClient;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.scheduler.domain.Target;
import dev.blocks.scheduler.store.SealedHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP(S) targets through the kit's {@link GuardedHttpClient}, the client webhook deliveries use: the URL checked
 * again at delivery (rules may have tightened since the job was created), the connection pinned to the address the
 * SSRF guard checked (no DNS rebinding), no redirects, one deadline from connect to the last byte, and only the
 * first few hundred bytes of the answer read. The job's headers are opened from their sealed form here, just
 * before the call. A 2xx answer is success; anything else, or no answer within the timeout, is a failed attempt.
 */
public final class HttpDelivery implements AutoCloseable {

    private final GuardedHttpClient client;
    private final SealedHeaders sealedHeaders;

    /**
     * {@code connections}: how many requests may be open at once, to one host as to all of them together. Runs due
     * in the same second often share a host (everyone's report at 09:00); a smaller limit would queue them behind
     * each other inside the worker, so it is the number of runs a worker runs at once.
     */
    public HttpDelivery(OutboundGuard guard, SealedHeaders sealedHeaders, Duration timeout, int connections) {
        this.client = new GuardedHttpClient(guard, timeout, connections, connections, "blocks-scheduler");
        this.sealedHeaders = sealedHeaders;
    }

    void deliver(Target.Http target, Delivery delivery) throws DeliveryFailed {
        Map<String, String> headers;
        try {
            headers = new LinkedHashMap<>(sealedHeaders.open(target, delivery.jobId()));
        } catch (RuntimeException e) {
            throw new DeliveryFailed("the job's headers do not decrypt: " + e.getMessage(), e);
        }
        // After the job's own headers, so that these win.
        headers.put("Idempotency-Key", delivery.idempotencyKey());
        headers.put("X-Job-Id", delivery.jobId());
        headers.put("X-Job-Scheduled-At", delivery.scheduledAt().toString());
        headers.put("X-Job-Attempt", Integer.toString(delivery.attempt()));
        boolean bodyless = target.method().equals("GET") || target.method().equals("DELETE");
        GuardedHttpClient.Answer answer = client.send(target.method(), target.url(), headers,
                bodyless ? null : delivery.payload().getBytes(StandardCharsets.UTF_8));
        if (answer.status() == 0) {
            throw new DeliveryFailed(answer.error().startsWith("refused")
                    ? "refused " + target.url() + answer.error().substring("refused".length())
                    : target.method() + " " + target.url() + ": " + answer.error());
        }
        if (!answer.succeeded()) {
            throw new DeliveryFailed("HTTP " + answer.status() + (answer.excerpt().isEmpty() ? "" : ": " + answer.excerpt()));
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
