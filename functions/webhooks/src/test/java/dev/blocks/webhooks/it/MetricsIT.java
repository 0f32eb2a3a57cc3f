package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.EmfLog;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * webhooks-deliverer's CloudWatch EMF lines, read from its log: a message its endpoint takes and one whose endpoint
 * answers 410 are counted as attempts, a delivery, a failed attempt and a dead letter.
 */
class MetricsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String DELIVERER = Cloud.PREFIX + "-webhooks-deliverer";

    private static Api api;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() throws Exception {
        api = new Api(CLOUD);
        receiver = Receiver.start(0);
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
    }

    private static String publish(String key) {
        return api.expect(202, "POST", "/v1/events", key, "{\"type\":\"metric.test\",\"payload\":{}}")
                .path("messages").get(0).path("id").asText();
    }

    private static void awaitStatus(String key, String messageId, String status) {
        JsonNode message = Api.pollUntil(DEADLINE, () -> api.expect(200, "GET", "/v1/messages/" + messageId, key, null),
                m -> m.path("status").asText().equals(status));
        assertThat(message.path("status").asText()).as(message.toString()).isEqualTo(status);
    }

    @Test
    void attemptsDeliveriesAndDeadLettersAreCounted() {
        String taker = api.newOwnerKey("metrics-ok");
        String okPath = "/ok-" + UUID.randomUUID();
        api.expect(201, "POST", "/v1/endpoints", taker, "{\"url\":\"" + receiver.url(okPath) + "\",\"events\":[\"*\"]}");
        String gone = api.newOwnerKey("metrics-gone");
        String gonePath = "/gone-" + UUID.randomUUID();
        receiver.script(gonePath, 410);
        api.expect(201, "POST", "/v1/endpoints", gone, "{\"url\":\"" + receiver.url(gonePath) + "\",\"events\":[\"*\"]}");

        awaitStatus(taker, publish(taker), "DELIVERED");
        awaitStatus(gone, publish(gone), "FAILED");

        // A line is written at the end of an invocation once the interval (10 s by default) has passed since the
        // last: more events, one a second, invoke the deliverer until it has written what the two messages counted.
        long[] next = {System.nanoTime()};
        List<JsonNode> lines = Api.pollUntil(DEADLINE, () -> {
            if (System.nanoTime() - next[0] >= 0) {
                publish(taker);
                next[0] = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            return EmfLog.lines(DELIVERER);
        }, found -> EmfLog.counters(found).getOrDefault("webhooks.dead_lettered", 0L) > 0
                && EmfLog.counters(found).getOrDefault("webhooks.delivered", 0L) > 0);

        assertThat(lines).as("EMF lines of %s", DELIVERER).isNotEmpty();
        for (JsonNode line : lines) {
            assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo(Cloud.PREFIX);
            assertThat(line.path("function").asText()).isEqualTo("webhooks-deliverer");
        }
        Map<String, Long> counted = EmfLog.counters(lines);
        assertThat(counted.getOrDefault("webhooks.attempts", 0L)).isGreaterThanOrEqualTo(2);
        assertThat(counted.getOrDefault("webhooks.delivered", 0L)).isPositive();
        assertThat(counted.getOrDefault("webhooks.attempts_failed", 0L)).isPositive();
        assertThat(counted.getOrDefault("webhooks.dead_lettered", 0L)).isPositive();
        assertThat(EmfLog.observations(lines, "webhooks.attempt_latency")).isPositive();
    }
}
