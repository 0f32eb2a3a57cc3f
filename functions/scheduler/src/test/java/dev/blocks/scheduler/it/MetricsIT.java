package dev.blocks.scheduler.it;

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
 * jobs-worker's CloudWatch EMF lines, read from its log: a run that succeeds and one that fails its only attempt
 * are counted as fired (with their lateness), succeeded, failed and dead-lettered.
 */
class MetricsIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String WORKER = Cloud.PREFIX + "-jobs-worker";

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("metrics-" + UUID.randomUUID());
        receiver = new Receiver();
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void runsAreCountedAndTheirLatenessRecorded() {
        String ok = "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok") + "\"}}";
        String succeeded = api.created(key, ok);
        String failed = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/fail")
                + "\"},\"maxAttempts\":1}");
        assertThat(api.awaitJob(key, succeeded, Duration.ofSeconds(120), j -> j.path("status").asText().equals("SUCCEEDED"))
                .path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(api.awaitJob(key, failed, Duration.ofSeconds(120), j -> j.path("status").asText().equals("FAILED"))
                .path("status").asText()).isEqualTo("FAILED");

        // A line is written at the end of an invocation once the interval (10 s by default) has passed since the
        // last: more runs, one a second, invoke the worker until it has written what the two runs counted.
        long[] nextJob = {System.nanoTime()};
        List<JsonNode> lines = Api.pollUntil(Duration.ofSeconds(90), () -> {
            if (System.nanoTime() - nextJob[0] >= 0) {
                api.created(key, ok);
                nextJob[0] = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            return EmfLog.lines(WORKER);
        }, found -> EmfLog.counters(found).getOrDefault("scheduler.runs_dead_lettered", 0L) > 0
                && EmfLog.counters(found).getOrDefault("scheduler.runs_succeeded", 0L) > 0);

        assertThat(lines).as("EMF lines of %s", WORKER).isNotEmpty();
        for (JsonNode line : lines) {
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo(Cloud.PREFIX);
            assertThat(line.path("function").asText()).isEqualTo("jobs-worker");
        }
        Map<String, Long> counted = EmfLog.counters(lines);
        assertThat(counted.getOrDefault("scheduler.runs_fired", 0L)).isGreaterThanOrEqualTo(2);
        assertThat(counted.getOrDefault("scheduler.runs_succeeded", 0L)).isPositive();
        assertThat(counted.getOrDefault("scheduler.attempts_failed", 0L)).isPositive();
        assertThat(counted.getOrDefault("scheduler.runs_dead_lettered", 0L)).isPositive();
        // Lateness is recorded just before the run is counted as fired, so the lines hold at least one per run.
        assertThat(EmfLog.observations(lines, "scheduler.lateness"))
                .as("a lateness per fired run").isGreaterThanOrEqualTo(counted.get("scheduler.runs_fired"));
    }
}
