package dev.blocks.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.CloudClient;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The jobs API as a client sees it (the local cloud's gateway), plus the AWS clients the tests inspect with. */
public final class Api extends CloudClient {

    public Api(LocalCloudExtension cloud) {
        super(cloud, Cloud.PREFIX);
    }

    /**
     * Runs one job through the whole path (api, queue, worker, target) and waits for it, so that a test measuring
     * timing does not measure the cold start of each function process.
     */
    void warmUp(String apiKey, Receiver receiver) {
        String jobId = created(apiKey, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok") + "\"}}");
        JsonNode job = awaitJob(apiKey, jobId, Duration.ofSeconds(240), j -> j.path("status").asText().equals("SUCCEEDED"));
        if (!job.path("status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("the warm-up job did not succeed: " + job);
        }
    }

    /**
     * Warms {@code environments} jobs-worker execution environments, as provisioned concurrency would in AWS: bursts
     * of jobs due together reach the worker as several batches at once (one per poller of the run queue's event
     * source), and the local Lambda service starts an environment for each batch that finds none free. Done once
     * the local cloud has shown that many worker environments busy at the same moment, i.e. initialised; a test
     * that measures lateness then does not measure JVM cold starts in the middle of its burst.
     */
    void warmWorkers(String apiKey, Receiver receiver, int environments) {
        String worker = Cloud.PREFIX + "-jobs-worker";
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        int busiest = 0;
        while (System.nanoTime() - end < 0) {
            Instant due = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
            String body = "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok") + "\"},\"runAt\":\"" + due + "\"}";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(created(apiKey, body));
            }
            long roundEnd = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() - roundEnd < 0) {
                busiest = Math.max(busiest, busy(worker));
                if (busiest >= environments) {
                    break;
                }
                if (ids.stream().allMatch(id -> job(apiKey, id).path("status").asText().equals("SUCCEEDED"))) {
                    break;
                }
                Pace.sleep(Duration.ofMillis(100));
            }
            // Let the burst finish either way, so that the test starts on idle workers.
            for (String id : ids) {
                awaitJob(apiKey, id, Duration.ofSeconds(120), j -> j.path("status").asText().equals("SUCCEEDED"));
            }
            if (busiest >= environments) {
                return;
            }
        }
        throw new IllegalStateException("the local cloud never ran " + environments + " workers at once (at most " + busiest + ")");
    }

    /** Execution environments of {@code function} running an invocation now, as the local cloud's admin API says. */
    int busy(String function) {
        JsonNode functions = json(send(HttpRequest.newBuilder(URI.create(cloud.endpoints().admin() + "/functions")).GET()));
        for (JsonNode f : functions) {
            if (f.path("name").asText().equals(function)) {
                return f.path("busy").asInt();
            }
        }
        throw new IllegalStateException("no function " + function + " in " + functions);
    }

    HttpResponse<String> create(String apiKey, String json) {
        return post(apiKey, "/v1/jobs", json);
    }

    /** Creates a job and returns its id, failing unless the answer is 201. */
    public String created(String apiKey, String json) {
        HttpResponse<String> response = create(apiKey, json);
        if (response.statusCode() != 201) {
            throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.body());
        }
        return json(response).path("jobId").asText();
    }

    JsonNode job(String apiKey, String jobId) {
        HttpResponse<String> response = get(apiKey, "/v1/jobs/" + jobId);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET job " + jobId + ": " + response.statusCode() + " " + response.body());
        }
        return json(response);
    }

    HttpResponse<String> post(String apiKey, String path) {
        return post(apiKey, path, null);
    }

    /** Polls a job until {@code done} holds or the deadline passes; returns the last state either way. */
    JsonNode awaitJob(String apiKey, String jobId, Duration deadline, Predicate<JsonNode> done) {
        return pollUntil(deadline, () -> job(apiKey, jobId), done);
    }
}
