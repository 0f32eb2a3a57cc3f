package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 200 jobs due at the same second, dispatched through the due index by the (shortened) dispatcher cadence, each
 * fire within 2 s at the 99th percentile. Lateness is read from what the scheduler recorded (each run's startedAt
 * minus its scheduledAt): behaviour, not a benchmark of this machine.
 */
class LatenessIT {

    private static final int JOBS = 200;

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("lateness-" + UUID.randomUUID());
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
    void twoHundredJobsDueTogetherFireWithinTwoSeconds() throws Exception {
        // Far enough ahead that they are created before the dispatcher's window reaches them.
        Instant due = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String body = "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok") + "\"},\"runAt\":\"" + due + "\"}";
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<String>> created = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            created.add(clients.submit(() -> api.created(key, body)));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : created) {
            ids.add(f.get());
        }
        clients.shutdown();

        java.util.Set<String> mine = java.util.Set.copyOf(ids);
        List<JsonNode> jobs = Api.pollUntil(Duration.ofSeconds(180),
                () -> listAll().stream().filter(j -> mine.contains(j.path("jobId").asText())).toList(),
                all -> all.stream().filter(j -> j.path("status").asText().equals("SUCCEEDED")).count() == JOBS);
        assertThat(jobs).hasSize(JOBS);
        assertThat(jobs).allSatisfy(j -> assertThat(j.path("status").asText()).isEqualTo("SUCCEEDED"));

        List<Long> lateness = new ArrayList<>();
        for (JsonNode job : jobs) {
            JsonNode run = job.path("lastRun");
            Instant scheduled = Instant.parse(run.path("scheduledAt").asText());
            assertThat(scheduled).isEqualTo(due);
            lateness.add(Duration.between(scheduled, Instant.parse(run.path("startedAt").asText())).toMillis());
        }
        Collections.sort(lateness);
        long p50 = lateness.get(JOBS / 2 - 1);
        long p99 = lateness.get((int) Math.ceil(JOBS * 0.99) - 1);
        long max = lateness.get(JOBS - 1);
        System.out.printf("lateness of %d jobs due at %s: p50 %d ms, p99 %d ms, max %d ms%n", JOBS, due, p50, p99, max);
        assertThat(lateness.get(0)).as("never early").isGreaterThanOrEqualTo(0);
        assertThat(p99).as("p99 lateness in ms").isLessThanOrEqualTo(2000);

        Map<String, Integer> perJob = new HashMap<>();
        List<Long> received = new ArrayList<>();
        receiver.all().stream().filter(d -> mine.contains(d.jobId())).forEach(d -> {
            perJob.merge(d.jobId(), 1, Integer::sum);
            received.add(Duration.between(due, d.receivedAt()).toMillis());
        });
        assertThat(ids).allSatisfy(id -> assertThat(perJob.get(id)).isEqualTo(1));
        // For information: when the target saw them (after the worker's bookkeeping write and the HTTP call).
        Collections.sort(received);
        System.out.printf("received by the target: p50 %d ms, p99 %d ms, max %d ms after their time%n",
                received.get(JOBS / 2 - 1), received.get((int) Math.ceil(JOBS * 0.99) - 1), received.get(JOBS - 1));
    }

    private List<JsonNode> listAll() {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = Api.json(api.get(key, "/v1/jobs?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.path("jobs").forEach(all::add);
            cursor = page.path("cursor").isNull() ? null : page.path("cursor").asText();
        } while (cursor != null);
        return all;
    }
}
