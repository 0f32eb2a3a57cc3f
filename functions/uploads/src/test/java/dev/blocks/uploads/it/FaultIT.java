package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.blocks.localcloud.junit.FaultReport;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Fault suite (issue 14): DynamoDB Local killed (a crash, not a clean stop) while clients keep starting uploads, then
 * started again. A start that could not be stored must be refused with a retryable answer and leave nothing behind;
 * every start that was answered 201 must be readable once DynamoDB is back. Costs about 20 s.
 */
class FaultIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final int CLIENTS = 2;
    /** Refusals to see during the outage before DynamoDB is started again: enough to show it is not one stray. */
    private static final int REFUSALS_DURING_OUTAGE = 6;

    private static Api api;
    private static String owner;
    private static String key;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        owner = "fault-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        key = api.issueKey(owner);
    }

    record Start(String filename, int status, String uploadId, String retryAfter, String contentType, String body) {}

    @Test
    void startsDuringADynamoDbOutageAreRefusedRetryablyAndEveryAcceptedOneSurvives() throws Exception {
        List<Start> starts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    starts.add(start("fault-" + sequence.incrementAndGet() + ".txt"));
                }
            }));
        }
        int beforeRestart;
        try {
            assertThat(Api.pollUntil(Duration.ofSeconds(60), () -> count(starts, 201), n -> n >= CLIENTS * 3L))
                    .as("uploads started before the outage").isGreaterThanOrEqualTo(CLIENTS * 3L);
            CLOUD.killService("dynamodb");
            try {
                assertThat(Api.pollUntil(Duration.ofSeconds(30), () -> count(starts, 503),
                        n -> n >= REFUSALS_DURING_OUTAGE)).as("starts refused during the outage")
                        .isGreaterThanOrEqualTo(REFUSALS_DURING_OUTAGE);
            } finally {
                CLOUD.startService("dynamodb");
            }
            beforeRestart = starts.size();
            int restartedAt = beforeRestart;
            assertThat(Api.pollUntil(Duration.ofSeconds(60), () -> acceptedSince(starts, restartedAt), n -> n >= 3))
                    .as("uploads started after DynamoDB came back").isGreaterThanOrEqualTo(3);
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> loop : loops) {
            loop.get();
        }

        List<Start> all = List.copyOf(starts);
        List<Start> accepted = all.stream().filter(s -> s.status == 201).toList();
        List<Start> refused = all.stream().filter(s -> s.status == 503).toList();
        Map<String, String> stored = storedFilenames();
        List<String> readBack = new ArrayList<>();
        for (Start s : accepted) {
            HttpResponse<String> read = api.get(key, "/v1/uploads/" + s.uploadId);
            if (read.statusCode() == 200 && s.filename.equals(Api.json(read).path("filename").asText())) {
                readBack.add(s.filename);
            }
        }
        List<String> refusedButStored = refused.stream().map(Start::filename).filter(stored::containsKey).toList();
        FaultReport.of("uploads dynamodb killed and restarted", accepted.stream().map(Start::filename).toList(),
                readBack, "sent " + all.size() + ", accepted " + accepted.size() + ", refused " + refused.size()
                        + ", stored " + stored.size() + ", refused but stored " + refusedButStored.size())
                .assertNoDuplicates();

        assertThat(all).as("every start answered 201 or a retryable 503")
                .allSatisfy(s -> assertThat(s.status).as(s.body).isIn(201, 503));
        assertThat(refused).allSatisfy(s -> {
            assertThat(s.retryAfter).as("Retry-After on a 503").isNotNull();
            assertThat(Integer.parseInt(s.retryAfter)).isPositive();
            assertThat(s.contentType).startsWith("application/problem+json");
            assertThat(Api.json(s.body).path("status").asInt()).isEqualTo(503);
        });
        assertThat(refusedButStored).as("a refused start left nothing behind").isEmpty();
        assertThat(stored.keySet()).as("the table holds exactly the accepted uploads")
                .containsExactlyInAnyOrderElementsOf(accepted.stream().map(Start::filename).toList());
    }

    private static Start start(String filename) {
        try {
            HttpResponse<String> response = api.post(key, "/v1/uploads", Api.object("filename", filename, "size", 3,
                    "contentType", "text/plain").toString());
            String id = response.statusCode() == 201 ? Api.json(response).path("uploadId").asText(null) : null;
            return new Start(filename, response.statusCode(), id, response.headers().firstValue("retry-after")
                    .orElse(null), response.headers().firstValue("content-type").orElse(""), response.body());
        } catch (RuntimeException e) {
            return new Start(filename, 0, null, null, "", e.toString());
        }
    }

    private static long count(List<Start> starts, int status) {
        synchronized (starts) {
            return starts.stream().filter(s -> s.status == status).count();
        }
    }

    private static long acceptedSince(List<Start> starts, int index) {
        synchronized (starts) {
            return starts.subList(index, starts.size()).stream().filter(s -> s.status == 201).count();
        }
    }

    /** filename → upload id of every item the owner has in the table, read straight from DynamoDB. */
    private static Map<String, String> storedFilenames() {
        Map<String, String> out = new java.util.HashMap<>();
        try (DynamoDbClient dynamo = api.dynamo()) {
            dynamo.scanPaginator(b -> b.tableName(Cloud.TABLE).filterExpression("#o = :o")
                            .expressionAttributeNames(Map.of("#o", "owner"))
                            .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner))))
                    .items().stream().filter(item -> item.containsKey("filename"))
                    .forEach(item -> out.put(item.get("filename").s(), item.get("id").s()));
        }
        return out;
    }
}
