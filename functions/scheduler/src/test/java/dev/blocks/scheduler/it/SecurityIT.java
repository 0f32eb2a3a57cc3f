package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attacks on the scheduler as an outsider with a real API key would try them, through the local cloud's gateway:
 * jobs aimed at the stack's own functions, queues and topics; one tenant acting on another's job; a target that
 * answers with a gibibyte; and bearer tokens in an HTTP target's headers. Each is refused (or contained) with
 * nothing changed, checked through the API and in the raw items of DynamoDB Local.
 */
class SecurityIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final String TABLE = Cloud.PREFIX + "-jobs";
    private static final long GIB = 1L << 30;

    private static Api api;
    private static DynamoDbClient dynamo;
    private static HttpServer headerReceiver;
    private static final Map<String, List<String>> authorizations = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        api = new Api(CLOUD);
        dynamo = api.dynamo();
        // Records the Authorization header each job's delivery carried, by job id.
        headerReceiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        headerReceiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String jobId = String.valueOf(exchange.getRequestHeaders().getFirst("X-Job-Id"));
            authorizations.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>())
                    .add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        headerReceiver.start();
    }

    @AfterAll
    static void tearDown() {
        headerReceiver.stop(0);
        dynamo.close();
    }

    private static String headerUrl(String path) {
        return "http://127.0.0.1:" + headerReceiver.getAddress().getPort() + path;
    }

    private static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Job items of {@code owner} in the table, read past the API. */
    private static int storedJobsOf(String owner) {
        return dynamo.scanPaginator(b -> b.tableName(TABLE).filterExpression("#o = :o AND sk = :job")
                        .expressionAttributeNames(Map.of("#o", "owner"))
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner), ":job", AttributeValue.fromS("job"))))
                .items().stream().mapToInt(i -> 1).sum();
    }

    @ParameterizedTest(name = "{0} {1} -> 400 naming {2}")
    @CsvSource({
        // The api-keys admin command: an import would mint a key of the attacker's choosing for a victim.
        "lambda, sch-api-keys, target.function",
        // Another HTTP role of the stack, and the scheduler's own worker.
        "lambda, sch-jobs-api, target.function",
        "lambda, sch-jobs-worker, target.function",
        // The stack's run queue and its DLQ: forged run messages.
        "sqs, sch-jobs-runs, target.queue",
        "sqs, sch-jobs-runs-dlq, target.queue",
        // A topic of the stack: forged "verified" inbound webhooks.
        "kafka, sch-webhooks-inbound, target.topic",
    })
    void jobsCannotTargetTheStack(String type, String name, String field) {
        String owner = "mallory-" + UUID.randomUUID();
        String mallory = api.issueKey(owner);
        String victim = "victim-" + UUID.randomUUID();
        String chosenKey = "bk_" + UUID.randomUUID().toString().replace("-", "");
        String nameField = switch (type) {
            case "lambda" -> "function";
            case "sqs" -> "queue";
            default -> "topic";
        };
        String body = "{\"target\":{\"type\":\"" + type + "\",\"" + nameField + "\":\"" + name + "\"},"
                + "\"payload\":{\"action\":\"import\",\"owner\":\"" + victim + "\",\"apiKey\":\"" + chosenKey + "\"}}";

        HttpResponse<String> response = api.create(mallory, body);

        JsonNode errors = Api.problem(response, 400).path("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).path("field").asText()).isEqualTo(field);
        // Nothing written: no job in the caller's listing, none in the table; the chosen key opens nothing.
        assertThat(Api.json(api.get(mallory, "/v1/jobs")).path("jobs").size()).isZero();
        assertThat(storedJobsOf(owner)).isZero();
        assertThat(api.get(chosenKey, "/v1/jobs").statusCode()).isEqualTo(401);
        // The scan does see this owner's jobs once there is one (the check above can fail).
        api.created(mallory, "{\"target\":{\"type\":\"sqs\",\"queue\":\"ext-sch-sink\"},\"runAt\":\"2031-01-01T00:00:00Z\"}");
        assertThat(storedJobsOf(owner)).isEqualTo(1);
    }

    @Test
    void aTenantCannotTouchAnotherTenantsJob() {
        String alice = api.issueKey("alice-" + UUID.randomUUID());
        String bob = api.issueKey("bob-" + UUID.randomUUID());
        String jobId = api.created(alice, "{\"target\":{\"type\":\"http\",\"url\":\"" + headerUrl("/a") + "\"},"
                + "\"cron\":\"0 9 1 1 ? 2031\",\"payload\":{}}");
        JsonNode before = api.job(alice, jobId);

        assertThat(api.get(bob, "/v1/jobs/" + jobId).statusCode()).isEqualTo(404);
        assertThat(api.post(bob, "/v1/jobs/" + jobId + "/pause").statusCode()).isEqualTo(404);
        assertThat(api.post(bob, "/v1/jobs/" + jobId + "/resume").statusCode()).isEqualTo(404);
        assertThat(api.post(bob, "/v1/jobs/" + jobId + "/trigger").statusCode()).isEqualTo(404);
        assertThat(api.delete(bob, "/v1/jobs/" + jobId).statusCode()).isEqualTo(404);
        assertThat(Api.json(api.get(bob, "/v1/jobs")).path("jobs").findValuesAsText("jobId")).doesNotContain(jobId);

        JsonNode after = api.job(alice, jobId);
        assertThat(after).isEqualTo(before);
        assertThat(after.path("status").asText()).isEqualTo("SCHEDULED");
        // Had bob's trigger been taken, its run would be on the queue already: alice's own trigger must be the only run.
        assertThat(api.post(alice, "/v1/jobs/" + jobId + "/trigger").statusCode()).isEqualTo(202);
        JsonNode ran = api.awaitJob(alice, jobId, Duration.ofSeconds(120),
                j -> j.path("runs").size() > 0 && j.path("runs").get(0).path("outcome").asText().equals("SUCCEEDED"));
        assertThat(ran.path("runs").size()).isEqualTo(1);
        assertThat(authorizations.get(jobId)).hasSize(1);
        assertThat(ran.path("status").asText()).isEqualTo("SCHEDULED");
        assertThat(ran.path("nextRunAt").asText()).isEqualTo("2031-01-01T09:00:00Z");
    }

    @Test
    void headersAreRedactedWhenReadAndSealedAtRest() {
        String key = api.issueKey("dora-" + UUID.randomUUID());
        String token = "tok_" + UUID.randomUUID().toString().replace("-", "");
        String jobId = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + headerUrl("/h") + "\","
                + "\"headers\":{\"Authorization\":\"Bearer " + token + "\",\"X-Tenant\":\"t-" + token + "\"}},"
                + "\"cron\":\"0 9 1 1 ? 2031\",\"payload\":{}}");

        HttpResponse<String> read = api.get(key, "/v1/jobs/" + jobId);
        assertThat(read.body()).doesNotContain(token);
        JsonNode headers = Api.json(read).path("target").path("headers");
        assertThat(headers.path("Authorization").asText()).isEqualTo("***");
        assertThat(headers.path("X-Tenant").asText()).isEqualTo("***");
        assertThat(api.get(key, "/v1/jobs").body()).doesNotContain(token);

        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("J#" + jobId), "sk", AttributeValue.fromS("job")))).item();
        assertThat(item).isNotEmpty();
        assertThat(item.toString()).doesNotContain(token);
        JsonNode storedTarget = json(item.get("target").s());
        assertThat(storedTarget.path("sealedHeaders").asText()).startsWith("aes:");
        assertThat(storedTarget.path("headers").path("Authorization").asText()).isEqualTo("***");

        // The worker opens them for the call: the target gets the real token.
        assertThat(api.post(key, "/v1/jobs/" + jobId + "/trigger").statusCode()).isEqualTo(202);
        api.awaitJob(key, jobId, Duration.ofSeconds(120),
                j -> j.path("runs").size() > 0 && j.path("runs").get(0).path("outcome").asText().equals("SUCCEEDED"));
        assertThat(authorizations.get(jobId)).containsExactly("Bearer " + token);
    }

    /**
     * A target that answers with a gibibyte, as fast as loopback carries it, or as a drip that would take years:
     * the worker keeps a short excerpt and drops the connection, or gives up at the target deadline (5 s in the
     * test stack) counted from the connect, however steadily bytes arrive; either way the run ends and is recorded. The receiver counts what it got out before the connection closed under it.
     */
    @Test
    void aGibibyteAnswerIsCutShort() throws Exception {
        String worker = Cloud.PREFIX + "-jobs-worker";
        Map<Long, Long> peakBefore = peakMemoryKiB(CLOUD.functionProcessIds(worker));
        try (HugeAnswers fast = new HugeAnswers(500, false); HugeAnswers slow = new HugeAnswers(200, true)) {
            String key = api.issueKey("erin-" + UUID.randomUUID());
            String fastJob = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + fast.url() + "\"},\"maxAttempts\":1,\"payload\":{}}");
            String slowJob = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + slow.url() + "\"},\"maxAttempts\":1,\"payload\":{}}");

            for (String jobId : List.of(fastJob, slowJob)) {
                JsonNode job = api.awaitJob(key, jobId, Duration.ofSeconds(120), j -> j.path("status").asText().equals("FAILED"));
                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("FAILED");
                JsonNode run = job.path("runs").get(0);
                Duration took = Duration.between(Instant.parse(run.path("startedAt").asText()), Instant.parse(run.path("finishedAt").asText()));
                assertThat(took).as("run of " + jobId).isLessThan(Duration.ofSeconds(8));
                assertThat(run.path("error").asText().length()).as(run.path("error").asText()).isLessThan(400);
            }
            assertThat(Api.json(api.get(key, "/v1/jobs/" + fastJob)).path("runs").get(0).path("error").asText()).startsWith("HTTP 500: xxxx");
            assertThat(Api.json(api.get(key, "/v1/jobs/" + slowJob)).path("runs").get(0).path("error").asText()).contains("timeout");

            // What each receiver got out before the worker closed the connection: far from a gibibyte.
            assertThat(fast.awaitClosed(Duration.ofSeconds(30))).isTrue();
            assertThat(slow.awaitClosed(Duration.ofSeconds(30))).isTrue();
            assertThat(fast.written()).isLessThan(64L << 20);
            assertThat(slow.written()).isLessThan(4096);
        }

        // The worker's memory stayed flat: an instance that was there before peaked at most a little higher (JIT and
        // heap growth), and one started meanwhile is a plain JVM's size; a worker that buffered the answer would have
        // peaked a gibibyte higher.
        Map<Long, Long> peakAfter = peakMemoryKiB(CLOUD.functionProcessIds(worker));
        assertThat(peakAfter).as("the worker's running instances").isNotEmpty();
        peakAfter.forEach((pid, peak) -> {
            if (peakBefore.containsKey(pid)) {
                assertThat(peak - peakBefore.get(pid)).as("peak memory growth of worker process %d, KiB", pid).isLessThan(128L << 10);
            } else {
                assertThat(peak).as("peak memory of worker process %d, KiB", pid).isLessThan(768L << 10);
            }
        });
    }

    /** Each process's peak resident memory (VmHWM in /proc, KiB): what Lambda's REPORT line calls Max Memory Used. */
    private static Map<Long, Long> peakMemoryKiB(List<Long> processIds) throws IOException {
        Map<Long, Long> peaks = new HashMap<>();
        for (long pid : processIds) {
            Path status = Path.of("/proc", Long.toString(pid), "status");
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    peaks.put(pid, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        }
        return peaks;
    }

    /** A raw HTTP server on loopback whose one answer announces a gibibyte and writes until the reader goes away. */
    private static final class HugeAnswers implements AutoCloseable {

        private final ServerSocket server;
        private final Thread thread;
        private volatile long written;
        private volatile boolean closedByPeer;

        HugeAnswers(int status, boolean drip) throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> serve(status, drip), "huge-answers");
            thread.setDaemon(true);
            thread.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/huge";
        }

        long written() {
            return written;
        }

        boolean awaitClosed(Duration deadline) {
            return Api.pollUntil(deadline, () -> closedByPeer, closed -> closed);
        }

        private void serve(int status, boolean drip) {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 " + status + " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " + GIB + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // A drip of a byte every 50 ms would take 13 s for the excerpt alone, far past the deadline.
                byte[] chunk = new byte[drip ? 1 : 64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                while (written < GIB) {
                    out.write(chunk);
                    out.flush();
                    written += chunk.length;
                    if (drip) {
                        // Pacing a slow sender, not waiting for an outcome: the project's one pacing sleep.
                        Pace.sleep(Duration.ofMillis(50));
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                closedByPeer = true;
            }
        }

        /** Reads the request line and headers; the worker's small body stays unread in the socket. */
        private static void readHead(InputStream in) throws IOException {
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the request ended");
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            thread.interrupt();
        }
    }
}
