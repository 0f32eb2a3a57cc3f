package dev.blocks.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The jobs API as a client sees it (the local cloud's gateway), plus the AWS clients the tests inspect with. */
public final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalCloudExtension cloud;

    public Api(LocalCloudExtension cloud) {
        this.cloud = cloud;
    }

    public LambdaClient lambda() {
        Endpoints endpoints = cloud.endpoints();
        return LambdaClient.builder().endpointOverride(URI.create(endpoints.lambda())).region(Region.of(endpoints.region()))
                .credentialsProvider(credentials(endpoints)).build();
    }

    public SqsClient sqs() {
        Endpoints endpoints = cloud.endpoints();
        return SqsClient.builder().endpointOverride(URI.create(endpoints.sqs())).region(Region.of(endpoints.region()))
                .credentialsProvider(credentials(endpoints)).build();
    }

    public DynamoDbClient dynamo() {
        Endpoints endpoints = cloud.endpoints();
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoints.dynamodb())).region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(endpoints)).build();
    }

    private static StaticCredentialsProvider credentials(Endpoints endpoints) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey()));
    }

    /**
     * A new API key for {@code owner}, issued by the kit's admin function through the Invoke API. A cold function
     * on a loaded machine may time out on its very first call; creating a key is safe to repeat.
     */
    public String issueKey(String owner) {
        try (LambdaClient lambda = lambda()) {
            String last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                InvokeResponse response = lambda.invoke(b -> b.functionName(Cloud.PREFIX + "-api-keys")
                        .payload(SdkBytes.fromUtf8String("{\"action\":\"create\",\"owner\":\"" + owner + "\"}")));
                if (response.functionError() == null) {
                    return JSON.readTree(response.payload().asUtf8String()).path("apiKey").asText();
                }
                last = response.payload().asUtf8String();
            }
            throw new IllegalStateException("api-keys failed: " + last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                pause(Duration.ofMillis(100));
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

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> create(String apiKey, String json) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri("/v1/jobs")).header("x-api-key", apiKey)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Creates a job and returns its id, failing unless the answer is 201. */
    public String created(String apiKey, String json) {
        HttpResponse<String> response = create(apiKey, json);
        if (response.statusCode() != 201) {
            throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.body());
        }
        return json(response).path("jobId").asText();
    }

    HttpResponse<String> get(String apiKey, String path) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri(path)).header("x-api-key", apiKey).GET());
    }

    JsonNode job(String apiKey, String jobId) {
        HttpResponse<String> response = get(apiKey, "/v1/jobs/" + jobId);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET job " + jobId + ": " + response.statusCode() + " " + response.body());
        }
        return json(response);
    }

    HttpResponse<String> post(String apiKey, String path) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri(path)).header("x-api-key", apiKey)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> delete(String apiKey, String path) {
        return send(HttpRequest.newBuilder(cloud.gatewayUri(path)).header("x-api-key", apiKey).DELETE());
    }

    /** Polls a job until {@code done} holds or the deadline passes; returns the last state either way. */
    JsonNode awaitJob(String apiKey, String jobId, Duration deadline, Predicate<JsonNode> done) {
        return pollUntil(deadline, () -> job(apiKey, jobId), done);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    static <T> T pollUntil(Duration deadline, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
            value = probe.get();
        }
        return value;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
