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
 * fire within 2 s at the 99th percentile. Lateness is measured where it matters: when the target received the call
 * (the receiver's clock, the same machine's) minus the run's time. The run records' startedAt (when the worker
 * called the target) is printed beside it.
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
        api.warmWorkers(key, receiver, Cloud.WORKER_POLLERS);
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

        List<Long> started = new ArrayList<>();
        for (JsonNode job : jobs) {
            JsonNode run = job.path("lastRun");
            Instant scheduled = Instant.parse(run.path("scheduledAt").asText());
            assertThat(scheduled).isEqualTo(due);
            started.add(Duration.between(scheduled, Instant.parse(run.path("startedAt").asText())).toMillis());
        }

        Map<String, Integer> perJob = new HashMap<>();
        List<Long> received = new ArrayList<>();
        receiver.all().stream().filter(d -> mine.contains(d.jobId())).forEach(d -> {
            perJob.merge(d.jobId(), 1, Integer::sum);
            received.add(Duration.between(due, d.receivedAt()).toMillis());
        });
        assertThat(ids).allSatisfy(id -> assertThat(perJob.get(id)).as("deliveries of job " + id).isEqualTo(1));

        Collections.sort(started);
        Collections.sort(received);
        System.out.printf("lateness of %d jobs due at %s, received by the target: p50 %d ms, p99 %d ms, max %d ms%n",
                JOBS, due, p50(received), p99(received), received.get(JOBS - 1));
        System.out.printf("lateness of %d jobs due at %s, startedAt as recorded: p50 %d ms, p99 %d ms, max %d ms%n",
                JOBS, due, p50(started), p99(started), started.get(JOBS - 1));
        assertThat(started.get(0)).as("recorded start never early").isGreaterThanOrEqualTo(0);
        assertThat(received.get(0)).as("received never early").isGreaterThanOrEqualTo(0);
        assertThat(p99(received)).as("p99 lateness in ms, as received by the target").isLessThanOrEqualTo(2000);
    }

    private static long p50(List<Long> sorted) {
        return sorted.get(sorted.size() / 2 - 1);
    }

    private static long p99(List<Long> sorted) {
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
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
