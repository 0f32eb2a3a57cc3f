package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.FaultReport;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import dev.blocks.webhooks.domain.DeliveryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault suite (issue 14): a webhook receiver down for 2 minutes, then up. Every message published to it before and
 * during the outage must end DELIVERED, each {@code webhook-id} processed once by a receiver that dedupes on it,
 * while another owner's healthy endpoint gets each of its messages within 5 s all along.
 *
 * <p>The module's shared test stack gives a message up about 10 s after it was published, so this class runs a cloud
 * of its own with a retry policy of the shape real ones have, at seconds where a deployment has minutes: an
 * immediate attempt, backoff doubling from 5 s, then a cap of 20 s, eleven attempts over 175 s. The breaker is
 * production's (5 failures in a row open it) and stays open 10 s, half the cap. Deferrals by an open breaker count
 * as attempts, so the schedule has to outlast the outage with attempts to spare: a message published at its start
 * still has three attempts due after the outage plus one breaker period (at about 135, 155 and 175 s), enough for
 * an attempt deferred by a breaker that has not probed yet, or by another message's probe, and then the delivery.
 * About 2.75 minutes (2 of them the outage) plus the cloud's start.
 */
class ReceiverOutageIT {

    private static final String SCHEDULE = "0s,5s,10s,20s,20s,20s,20s,20s,20s,20s,20s";

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension()
            .var("delivery_schedule", SCHEDULE)
            .var("breaker_threshold", "5")
            .var("breaker_open", "10s");

    private static final Duration OUTAGE = Duration.ofMinutes(2);
    /** Messages published to the down endpoint at the outage's start, and as many again in its middle. */
    private static final int PER_WAVE = 20;
    /** How often the healthy endpoint is sent a message during the outage, each awaited for its latency. */
    private static final Duration HEALTHY_EVERY = Duration.ofSeconds(10);
    private static final Duration HEALTHY_BOUND = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static Api api;
    private static Receiver healthy;

    @BeforeAll
    static void setUp() throws IOException {
        api = new Api(CLOUD);
        healthy = Receiver.start(0);
    }

    @AfterAll
    static void tearDown() {
        healthy.close();
    }

    @Test
    void aReceiverDownForTwoMinutesGetsEveryMessageOnceWhileAHealthyEndpointIsNotHeldBack() throws Exception {
        String downKey = api.newOwnerKey("outage");
        String healthyKey = api.newOwnerKey("outage-healthy");
        String downPath = "/outage-down-" + UUID.randomUUID();
        String healthyPath = "/outage-healthy-" + UUID.randomUUID();

        List<String> sent = new ArrayList<>();
        List<String> healthySent = new ArrayList<>();
        List<Long> healthyLatencies = new ArrayList<>();
        int port;
        Instant outageStarted;
        // The down receiver's port is held by a socket that is bound but not listening: connections to it are refused,
        // as to a stopped receiver, and no other program can take the port during the two minutes.
        try (Socket down = new Socket()) {
            down.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            port = down.getLocalPort();
            api.expect(201, "POST", "/v1/endpoints", downKey, "{\"url\":\"http://" + Cloud.RECEIVER_HOST + ":" + port
                    + downPath + "\",\"events\":[\"*\"]}");
            api.expect(201, "POST", "/v1/endpoints", healthyKey, "{\"url\":\"" + healthy.url(healthyPath)
                    + "\",\"events\":[\"*\"]}");

            outageStarted = Instant.now();
            Instant middle = outageStarted.plus(OUTAGE.dividedBy(2));
            boolean middleWaveSent = false;
            for (int tick = 0; Instant.now().isBefore(outageStarted.plus(OUTAGE)); tick++) {
                if (tick == 0 || (!middleWaveSent && !Instant.now().isBefore(middle))) {
                    middleWaveSent = tick > 0;
                    for (int i = 0; i < PER_WAVE; i++) {
                        sent.add(publish(downKey, sent.size()));
                    }
                }
                long published = System.nanoTime();
                String id = publish(healthyKey, tick);
                healthySent.add(id);
                Api.pollUntil(HEALTHY_BOUND.multipliedBy(2), () -> healthy.webhookIds(healthyPath),
                        got -> got.contains(id));
                healthyLatencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published));
                Instant next = outageStarted.plus(HEALTHY_EVERY.multipliedBy(tick + 1L));
                Instant end = outageStarted.plus(OUTAGE);
                Pace.sleep(Duration.between(Instant.now(), next.isBefore(end) ? next : end));
            }
            assertThat(middleWaveSent).as("messages were published in the middle of the outage too").isTrue();
        }
        Receiver back = Receiver.start(port);
        Instant outageEnded = Instant.now();
        try {
            List<String> arrived = Api.pollUntil(DEADLINE, () -> back.webhookIds(downPath),
                    got -> Set.copyOf(got).containsAll(sent));
            Instant lastArrival = back.requests(downPath).stream().map(Receiver.Request::at).max(Instant::compareTo)
                    .orElse(outageEnded);
            List<String> processed = new ArrayList<>(); // what a receiver deduping on webhook-id acts on
            for (String id : arrived) {
                if (!processed.contains(id)) {
                    processed.add(id);
                }
            }
            int attempts = 0;
            int deferred = 0;
            for (String id : sent) {
                JsonNode message = api.expect(200, "GET", "/v1/messages/" + id, downKey, null);
                assertThat(message.path("status").asText()).as(message.toString()).isEqualTo("DELIVERED");
                assertThat(message.path("attempts").asInt())
                        .as("refused (or deferred) before it was delivered: " + message).isGreaterThan(1);
                for (JsonNode attempt : api.expect(200, "GET", "/v1/messages/" + id + "/attempts", downKey, null)
                        .path("attempts")) {
                    attempts++;
                    if (DeliveryPolicy.NOT_SENT.equals(attempt.path("error").asText())) {
                        deferred++;
                    }
                }
            }
            List<String> healthyArrived = healthy.webhookIds(healthyPath);
            FaultReport.of("webhooks receiver down 120s then up", sent, arrived, "raw deliveries " + arrived.size()
                    + ", processed once each by the deduping receiver " + processed.size()
                    + "; attempts " + attempts + " (" + deferred + " deferred by the open breaker, "
                    + (attempts - deferred - sent.size()) + " failed calls), schedule " + SCHEDULE
                    + "; last delivery " + Duration.between(outageEnded, lastArrival).toMillis()
                    + " ms after the receiver was back; healthy endpoint: sent " + healthySent.size() + ", arrived "
                    + Set.copyOf(healthyArrived).size() + ", slowest " + Collections.max(healthyLatencies) + " ms");
            FaultReport.of("webhooks healthy endpoint beside one down 120s", healthySent, healthyArrived, null);
            assertThat(Set.copyOf(arrived)).as("no webhook-id that was not sent").isSubsetOf(Set.copyOf(sent));
            assertThat(processed).as("each message processed once").containsExactlyInAnyOrderElementsOf(sent);
            assertThat(healthyLatencies).as("a healthy endpoint's messages are not held back by a dead one")
                    .allSatisfy(ms -> assertThat(ms).isLessThan(HEALTHY_BOUND.toMillis()));
            assertThat(deferred).as("the breaker opened and deferred messages, and they were still delivered")
                    .isPositive();
        } finally {
            back.close();
        }
    }

    private static String publish(String key, int n) {
        return api.publishOne(key, "outage.tested", n);
    }
}
