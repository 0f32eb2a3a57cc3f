package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The visibility timeout is the lease: a worker that dies mid-run loses its run to the next delivery. */
class KilledWorkerIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("killed-" + UUID.randomUUID());
        receiver = new Receiver();
        api.warmUp(key, receiver);
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aRunWhoseWorkerIsKilledRunsAgainAfterTheLeaseAndTakesEffectOnce() throws Exception {
        String runAt = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString();
        String jobId = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/hold")
                + "\"},\"runAt\":\"" + runAt + "\",\"payload\":{\"charge\":42}}");

        // The first delivery reaches the target, which holds it; the worker process dies meanwhile.
        assertThat(receiver.awaitHeld(60)).isTrue();
        CLOUD.killFunction(Cloud.PREFIX + "-jobs-worker");
        Instant killedAt = Instant.now();
        receiver.release();

        JsonNode job = api.awaitJob(key, jobId, Duration.ofSeconds(180), j -> j.path("status").asText().matches("SUCCEEDED|FAILED"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode run = job.path("runs").get(0);
        assertThat(run.path("attempt").asInt()).isEqualTo(2);
        assertThat(run.path("attempts").get(0).path("error").asText()).contains("worker stopped");

        List<Receiver.Delivery> deliveries = receiver.deliveries(jobId);
        assertThat(deliveries).hasSize(2);
        assertThat(deliveries).extracting(Receiver.Delivery::attempt).containsExactly(1, 2);
        // Both deliveries carry the run's one idempotency key, so the receiver applied the effect once.
        assertThat(deliveries.get(1).idempotencyKey()).isEqualTo(deliveries.get(0).idempotencyKey());
        assertThat(receiver.effects(jobId)).isEqualTo(1);
        // The second delivery waited for the lease (the queue's visibility timeout) to run out.
        Duration gap = Duration.between(deliveries.get(0).receivedAt(), deliveries.get(1).receivedAt());
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofSeconds(Cloud.RUN_LEASE_SECONDS - 2));
        assertThat(deliveries.get(1).receivedAt()).isAfter(killedAt);
    }
}
