package dev.blocks.scheduler.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.blocks.kit.net.OutboundGuard;
import dev.blocks.kit.net.PinnedAddress;
import dev.blocks.kit.secrets.AesGcmCipher;
import dev.blocks.scheduler.domain.Target;
import dev.blocks.scheduler.store.SealedHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard of HTTP targets, with DNS replaced by a table: a public-looking name that resolves to a private
 * address is refused before any connection, and a name whose answers mix public and private addresses too. A
 * real loopback server stands for the allowed host.
 */
class HttpDeliveryTest {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AesGcmCipher cipher = new AesGcmCipher(java.util.Base64.getEncoder().encodeToString(new byte[32]));
    private final Delivery delivery = new Delivery("job_x", Instant.parse("2026-11-24T10:00:00Z"), 2, "{\"a\":1}");

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        server.createContext("/", exchange -> {
            String token = exchange.getRequestHeaders().getFirst("Authorization");
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key")
                    + " " + new String(exchange.getRequestBody().readAllBytes()) + (token == null ? "" : " " + token));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/fail") ? 502 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpDelivery delivery(Set<String> allowed, Map<String, List<String>> dns) {
        PinnedAddress.HostResolver resolver = host -> {
            List<String> addresses = dns.get(host);
            if (addresses == null) {
                throw new java.net.UnknownHostException(host);
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String a : addresses) {
                out.add(InetAddress.getByName(a));
            }
            return out;
        };
        return new HttpDelivery(new OutboundGuard(allowed, resolver), new SealedHeaders(cipher), Duration.ofSeconds(5), 4);
    }

    private String local(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void anAllowedHostGetsThePayloadAndTheIdempotencyKey() throws Exception {
        try (HttpDelivery http = delivery(Set.of("127.0.0.1"), Map.of("127.0.0.1", List.of("127.0.0.1")))) {
            http.deliver(new Target.Http(local("/hook"), "POST", Map.of()), delivery);
        }
        assertThat(received).containsExactly("POST job_x@2026-11-24T10:00:00Z {\"a\":1}");
    }

    @Test
    void aNon2xxAnswerFailsTheAttempt() throws Exception {
        try (HttpDelivery http = delivery(Set.of("127.0.0.1"), Map.of("127.0.0.1", List.of("127.0.0.1")))) {
            assertThatThrownBy(() -> http.deliver(new Target.Http(local("/fail"), "POST", Map.of()), delivery))
                    .isInstanceOf(DeliveryFailed.class).hasMessageStartingWith("HTTP 502");
        }
    }

    @Test
    void loopbackIsRefusedUnlessAllowed() throws Exception {
        try (HttpDelivery http = delivery(Set.of(), Map.of("127.0.0.1", List.of("127.0.0.1")))) {
            assertThatThrownBy(() -> http.deliver(new Target.Http(local("/hook"), "POST", Map.of()), delivery))
                    .isInstanceOf(DeliveryFailed.class).hasMessageContaining("refused");
        }
        assertThat(received).isEmpty();
    }

    @Test
    void aPublicNameResolvingToAPrivateAddressIsRefusedBeforeConnecting() throws Exception {
        Map<String, List<String>> dns = Map.of(
                "rebind.example.com", List.of("169.254.169.254"),
                "mixed.example.com", List.of("93.184.216.34", "10.0.0.7"));
        try (HttpDelivery http = delivery(Set.of(), dns)) {
            assertThatThrownBy(() -> http.deliver(new Target.Http("http://rebind.example.com/latest/meta-data/", "GET", Map.of()), delivery))
                    .isInstanceOf(DeliveryFailed.class).hasMessageContaining("169.254.169.254");
            assertThatThrownBy(() -> http.deliver(new Target.Http("http://mixed.example.com/hook", "POST", Map.of()), delivery))
                    .isInstanceOf(DeliveryFailed.class).hasMessageContaining("10.0.0.7");
        }
    }

    @Test
    void privateLiteralsAreRefusedWithoutAnyLookup() throws Exception {
        try (HttpDelivery http = delivery(Set.of(), Map.of())) {
            for (String url : List.of("http://10.1.2.3/", "http://[::1]/", "http://192.168.0.10:8080/x", "http://localhost/")) {
                assertThatThrownBy(() -> http.deliver(new Target.Http(url, "POST", Map.of()), delivery))
                        .isInstanceOf(DeliveryFailed.class).hasMessageStartingWith("refused");
            }
        }
    }

    /** The job item holds only the sealed headers; the target gets the real values, and another job's seal fails. */
    @Test
    void sealedHeadersAreOpenedForTheirJobOnly() throws Exception {
        SealedHeaders sealed = new SealedHeaders(cipher);
        Target.Http stored = (Target.Http) sealed.seal(new Target.Http(local("/hook"), "POST", Map.of("Authorization", "Bearer tok_123")), "job_x");
        assertThat(stored.headers()).containsExactly(Map.entry("Authorization", SealedHeaders.REDACTED));
        assertThat(stored.sealedHeaders()).doesNotContain("tok_123");

        try (HttpDelivery http = delivery(Set.of("127.0.0.1"), Map.of("127.0.0.1", List.of("127.0.0.1")))) {
            http.deliver(stored, delivery);
            Delivery otherJob = new Delivery("job_y", delivery.scheduledAt(), 1, "{}");
            assertThatThrownBy(() -> http.deliver(stored, otherJob)).isInstanceOf(DeliveryFailed.class)
                    .hasMessageContaining("do not decrypt");
        }
        assertThat(received).containsExactly("POST job_x@2026-11-24T10:00:00Z {\"a\":1} Bearer tok_123");
    }
}
