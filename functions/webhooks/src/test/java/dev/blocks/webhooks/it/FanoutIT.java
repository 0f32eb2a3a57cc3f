package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1,000 messages to 10 endpoints, one of which is dead (it accepts connections and never answers, the costliest
 * way to be dead: every call waits the whole 5 s timeout of the test stack). The other nine get all of theirs on
 * time, which here means: each exactly once, at its first attempt, and within {@link #ON_TIME} of its event being
 * accepted. Without the breaker the dead endpoint would hold one of the three queue pollers for 5 s in nearly every
 * batch (its message is in most of them): about 100 × 5 s / 3 ≈ 170 s before the last healthy message got out. With
 * it, most of the dead endpoint's 100 messages never cost a call.
 */
class FanoutIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final int EVENTS = 100;
    private static final int HEALTHY = 9;
    private static final Duration ON_TIME = Duration.ofSeconds(60);

    @Test
    void nineHealthyEndpointsGetAllTheirMessagesWhileTheTenthIsDead() throws Exception {
        Api api = new Api(CLOUD);
        String key = api.newOwnerKey("fanout");
        AtomicInteger deadCalls = new AtomicInteger();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (Receiver receiver = Receiver.start(0);
             ServerSocket dead = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"))) {
            Thread blackHole = new Thread(() -> {
                try {
                    while (true) {
                        held.add(dead.accept());
                        deadCalls.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }, "black-hole");
            blackHole.setDaemon(true);
            blackHole.start();

            for (int i = 0; i < HEALTHY; i++) {
                api.expect(201, "POST", "/v1/endpoints", key, "{\"url\":\"" + receiver.url("/fan/" + i) + "\"}");
            }
            String deadId = api.expect(201, "POST", "/v1/endpoints", key, "{\"url\":\"http://" + Cloud.RECEIVER_HOST + ":"
                    + dead.getLocalPort() + "/dead\"}").path("id").asText();

            Map<String, Instant> accepted = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> posts = new ArrayList<>();
                for (int e = 0; e < EVENTS; e++) {
                    int n = e;
                    posts.add(clients.submit(() -> {
                        JsonNode event = api.expect(202, "POST", "/v1/events", key,
                                "{\"type\":\"load.test\",\"payload\":{\"n\":" + n + "}}");
                        Instant at = Instant.now();
                        event.path("messages").forEach(m -> accepted.put(m.path("id").asText(), at));
                    }));
                }
                for (Future<?> post : posts) {
                    post.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(accepted).hasSize(EVENTS * (HEALTHY + 1));

            List<Receiver.Request> delivered = Api.pollUntil(Duration.ofSeconds(240), () -> receiver.requestsUnder("/fan/"),
                    l -> distinctIds(l) >= EVENTS * HEALTHY);

            assertThat(distinctIds(delivered)).isEqualTo(EVENTS * HEALTHY);
            Map<String, Integer> perEndpoint = new HashMap<>();
            Duration latest = Duration.ZERO;
            for (Receiver.Request r : delivered) {
                perEndpoint.merge(r.path(), 1, Integer::sum);
                assertThat(r.answered()).isEqualTo(200);
                Duration late = Duration.between(accepted.get(r.header("webhook-id")), r.at());
                latest = late.compareTo(latest) > 0 ? late : latest;
            }
            assertThat(perEndpoint).hasSize(HEALTHY).allSatisfy((path, count) -> assertThat(count).as(path).isEqualTo(EVENTS));
            assertThat(delivered).as("no healthy message needed a second attempt").hasSize(EVENTS * HEALTHY);
            assertThat(latest).as("slowest healthy delivery").isLessThan(ON_TIME);
            assertThat(deadCalls.get()).as("calls that reached the dead endpoint").isLessThan(EVENTS / 2);
            System.out.printf("fan-out: %d healthy deliveries, slowest %d ms after its event; the dead endpoint was called %d times for %d messages%n",
                    delivered.size(), latest.toMillis(), deadCalls.get(), EVENTS);

            // Deleting the dead endpoint lets its deferred messages end now instead of cycling on.
            api.expect(204, "DELETE", "/v1/endpoints/" + deadId, key, null);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static int distinctIds(List<Receiver.Request> requests) {
        Set<String> ids = new HashSet<>();
        requests.forEach(r -> ids.add(r.header("webhook-id")));
        return ids.size();
    }
}
