package dev.blocks.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.AwsEventFixtures;
import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.OwnedProcesses;
import dev.blocks.localcloud.emulators.SqsEmulator;
import dev.blocks.localcloud.http.LoopbackServer;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.spec.FunctionSpec;
import dev.blocks.localcloud.spec.FunctionSpec.AsyncInvokeConfig;
import dev.blocks.localcloud.spec.FunctionSpec.Destination;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lambda's handling of asynchronous invocations, end to end: real functions in the local Lambda service, real
 * ElasticMQ queues as destinations and dead-letter queue, retry delays shortened (200 ms, then 2 s).
 */
class AsyncInvocationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration SECOND_RETRY = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static SqsEmulator sqsServer;
    private static SqsClient sqs;
    private static LambdaService lambda;
    private static LoopbackServer invokeServer;
    private static LambdaClient lambdaClient;

    @BeforeAll
    static void start() throws Exception {
        sqsServer = new SqsEmulator();
        sqsServer.start();
        Endpoints endpoints = new Endpoints(null, null, null, sqsServer.endpoint(), null, null, null, null,
                SqsEmulator.REGION, "local", "local");
        sqs = AsyncInvocations.sqsClient(endpoints);
        for (String queue : List.of("failures", "successes", "dlq", "expired", "sleeper-done", "throttled")) {
            sqs.createQueue(r -> r.queueName(queue));
        }
        invokeServer = new LoopbackServer("lambda", 0);
        lambda = LambdaService.start(List.of(
                        withAsync(TestFunctions.function("flaky", "FailOnDemandHandler", 10, 0, Map.of()),
                                new AsyncInvokeConfig(2, Duration.ofHours(6), Optional.of(Destination.queue("successes")),
                                        Optional.of(Destination.queue("failures")), Optional.empty())),
                        withAsync(TestFunctions.function("flaky-dlq", "FailOnDemandHandler", 10, 0, Map.of()),
                                AsyncInvokeConfig.DEFAULTS.withDeadLetterQueue(Optional.of("dlq"))),
                        withAsync(TestFunctions.function("flaky-young", "FailOnDemandHandler", 10, 0, Map.of()),
                                new AsyncInvokeConfig(2, Duration.ofSeconds(1), Optional.empty(),
                                        Optional.of(Destination.queue("expired")), Optional.empty())),
                        withAsync(TestFunctions.function("sleeper", "SleepingHandler", 30, 0, Map.of()),
                                new AsyncInvokeConfig(2, Duration.ofHours(6), Optional.of(Destination.queue("sleeper-done")),
                                        Optional.empty(), Optional.empty())),
                        withAsync(TestFunctions.function("chained", "FailOnDemandHandler", 10, 0, Map.of()),
                                new AsyncInvokeConfig(0, Duration.ofHours(6), Optional.empty(),
                                        Optional.of(Destination.function("sink")), Optional.empty())),
                        TestFunctions.function("sink", "TouchHandler", 10, 0,
                                Map.of("TOUCH_FILE", dir.resolve("sink-ran").toString())),
                        withAsync(TestFunctions.reserved("throttled", "EchoHandler", 10, 0, Map.of()),
                                new AsyncInvokeConfig(2, Duration.ofSeconds(1), Optional.empty(),
                                        Optional.empty(), Optional.of("throttled")))),
                TestFunctions.settings(dir, endpoints));
        lambda.asyncRetryDelays(new AsyncRetryDelays(List.of(FIRST_RETRY, SECOND_RETRY), Duration.ofMillis(50),
                Duration.ofMillis(200)));
        InvokeApi.serve(invokeServer, lambda);
        invokeServer.start();
        lambdaClient = TestFunctions.lambdaClient(invokeServer.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (lambdaClient != null) {
            lambdaClient.close();
        }
        if (invokeServer != null) {
            invokeServer.close();
        }
        if (lambda != null) {
            lambda.close();
            assertThat(OwnedProcesses.awaitNone(lambda.settings().owner(), Duration.ofSeconds(10))).isEmpty();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (sqsServer != null) {
            sqsServer.close();
        }
    }

    @Test
    void aFailingEventIsTriedThreeTimesWithBackoffThenItsRecordGoesToTheOnFailureDestination() throws Exception {
        Path runs = dir.resolve("fails-three-times");
        String event = "{\"runs\":\"" + runs + "\",\"fail\":\"asked to fail\"}";

        FunctionInvoker.Queued queued = lambda.invokeAsync("flaky", event.getBytes(StandardCharsets.UTF_8));

        JsonNode record = JSON.readTree(receiveOne("failures").body());
        assertThat(shape(record)).isEqualTo(shape(AwsEventFixtures.read("async-record-failure.json")));
        assertThat(record.path("version").asText()).isEqualTo("1.0");
        assertThat(record.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode request = record.path("requestContext");
        assertThat(request.path("requestId").asText()).isEqualTo(queued.requestId());
        assertThat(request.path("functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST");
        assertThat(request.path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(request.path("approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.path("requestPayload")).isEqualTo(JSON.readTree(event));
        JsonNode response = record.path("responseContext");
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(response.path("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(response.path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("asked to fail");
        assertThat(record.path("responsePayload").path("errorType").asText()).contains("IllegalStateException");

        // The record is sent after the last run: exactly three, spaced by the two retry delays.
        List<String> lines = Files.readAllLines(runs);
        assertThat(lines).hasSize(3);
        List<Long> times = lines.stream().map(line -> Long.parseLong(line.split(" ")[1])).toList();
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(FIRST_RETRY.toMillis());
        assertThat(times.get(2) - times.get(1)).isGreaterThanOrEqualTo(SECOND_RETRY.toMillis());
        // Every retry runs under the event's request id, as on Lambda: a function can tell a retry by it.
        assertThat(lines).allSatisfy(line -> assertThat(line.split(" ")[0]).isEqualTo(queued.requestId()));
        assertThat(queued.firstAttempt()).isCompletedExceptionally();
    }

    @Test
    void aSucceedingEventIsRunOnceAndItsRecordGoesToTheOnSuccessDestination() throws Exception {
        Path runs = dir.resolve("succeeds");
        String event = "{\"runs\":\"" + runs + "\"}";

        FunctionInvoker.Queued queued = lambda.invokeAsync("flaky", event.getBytes(StandardCharsets.UTF_8));

        JsonNode record = JSON.readTree(receiveOne("successes").body());
        assertThat(shape(record)).isEqualTo(shape(AwsEventFixtures.read("async-record-success.json")));
        JsonNode request = record.path("requestContext");
        assertThat(request.path("requestId").asText()).isEqualTo(queued.requestId());
        assertThat(request.path("condition").asText()).isEqualTo("Success");
        assertThat(request.path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.path("requestPayload")).isEqualTo(JSON.readTree(event));
        assertThat(record.path("responseContext").path("statusCode").asInt()).isEqualTo(200);
        assertThat(record.path("responseContext").has("functionError")).isFalse();
        assertThat(record.path("responsePayload")).isEqualTo(JSON.readTree("{\"ok\":true,\"runs\":\"" + runs + "\"}"));
        assertThat(Files.readAllLines(runs)).hasSize(1);
        assertThat(queued.firstAttempt()).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void withoutAnOnFailureDestinationTheEventItselfGoesToTheDeadLetterQueue() throws Exception {
        Path runs = dir.resolve("dead-letter");
        String event = "{\"runs\":\"" + runs + "\",\"fail\":\"no luck\"}";

        FunctionInvoker.Queued queued = lambda.invokeAsync("flaky-dlq", event.getBytes(StandardCharsets.UTF_8));

        Message message = receiveOne("dlq");
        assertThat(message.body()).isEqualTo(event);
        assertThat(message.messageAttributes()).containsOnlyKeys("RequestID", "ErrorCode", "ErrorMessage");
        assertThat(message.messageAttributes().get("RequestID").dataType()).isEqualTo("String");
        assertThat(message.messageAttributes().get("RequestID").stringValue()).isEqualTo(queued.requestId());
        assertThat(message.messageAttributes().get("ErrorCode").dataType()).isEqualTo("Number");
        assertThat(message.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(message.messageAttributes().get("ErrorMessage").stringValue()).isEqualTo("no luck");
        assertThat(Files.readAllLines(runs)).hasSize(3);
    }

    @Test
    void anEventOlderThanTheMaximumAgeIsNotTriedAgainAndGoesToOnFailureAsEventAgeExceeded() throws Exception {
        // Maximum age 1 s: the first retry (after 200 ms) may happen, the second (2 s later) must not.
        Path runs = dir.resolve("expires");
        String event = "{\"runs\":\"" + runs + "\",\"fail\":\"too slow\"}";

        FunctionInvoker.Queued queued = lambda.invokeAsync("flaky-young", event.getBytes(StandardCharsets.UTF_8));

        JsonNode record = JSON.readTree(receiveOne("expired").body());
        JsonNode request = record.path("requestContext");
        assertThat(request.path("requestId").asText()).isEqualTo(queued.requestId());
        assertThat(request.path("condition").asText()).isEqualTo("EventAgeExceeded");
        int runCount = Files.readAllLines(runs).size();
        assertThat(runCount).isBetween(1, 2);
        assertThat(request.path("approximateInvokeCount").asInt()).isEqualTo(runCount);
        assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.path("responsePayload").path("errorMessage").asText()).isEqualTo("too slow");
    }

    @Test
    void aThrottledEventIsRetriedUntilItIsTooOldThenGoesToTheDeadLetterQueueWith429() throws Exception {
        // Reserved concurrency 0: every run is throttled; throttles do not count as attempts.
        String event = "{\"n\":1}";

        FunctionInvoker.Queued queued = lambda.invokeAsync("throttled", event.getBytes(StandardCharsets.UTF_8));

        Message message = receiveOne("throttled");
        assertThat(message.body()).isEqualTo(event);
        assertThat(message.messageAttributes().get("RequestID").stringValue()).isEqualTo(queued.requestId());
        assertThat(message.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("429");
    }

    @Test
    void anOnFailureFunctionIsInvokedAsynchronouslyWithTheRecordAfterTheOnlyAttemptWhenRetriesAreZero()
            throws Exception {
        Path runs = dir.resolve("chained");
        String event = "{\"runs\":\"" + runs + "\",\"fail\":\"once is enough\"}";

        lambda.invokeAsync("chained", event.getBytes(StandardCharsets.UTF_8));

        Path sinkRan = dir.resolve("sink-ran");
        Await.until(WAIT, () -> Files.exists(sinkRan), () -> "the destination function ran");
        // maximum_retry_attempts 0: the record follows the first failure.
        assertThat(Files.readAllLines(runs)).hasSize(1);
    }

    @Test
    void theInvokeApiAnswersAnEventInvocationWith202BeforeTheFunctionHasRun() throws Exception {
        Path release = dir.resolve("release-sleeper");

        InvokeResponse response = lambdaClient.invoke(b -> b.functionName("sleeper")
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"waitFor\":\"" + release + "\"}")));

        assertThat(response.statusCode()).isEqualTo(202);
        String requestId = response.responseMetadata().requestId();
        // The function is still waiting for the file: the answer did not wait for the function.
        Files.writeString(release, "go");
        JsonNode record = JSON.readTree(receiveOne("sleeper-done").body());
        assertThat(record.path("requestContext").path("requestId").asText()).isEqualTo(requestId);
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("Success");
    }

    /** The record's fields and types; the payloads are the function's own. */
    private static Map<String, String> shape(JsonNode record) {
        return AwsEventFixtures.shape(record, "requestPayload", "responsePayload");
    }

    private static FunctionSpec withAsync(FunctionSpec function, AsyncInvokeConfig async) {
        return new FunctionSpec(function.name(), function.runtime(), function.handler(), function.artifact(),
                function.environment(), function.memoryMb(), function.timeoutSeconds(),
                function.reservedConcurrency(), async);
    }

    /** The one message the queue receives, waiting for it up to a deadline. */
    private static Message receiveOne(String queue) {
        String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)
                    .maxNumberOfMessages(10).messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                assertThat(messages).hasSize(1);
                messages.forEach(m -> sqs.deleteMessage(d -> d.queueUrl(url).receiptHandle(m.receiptHandle())));
                return messages.get(0);
            }
        }
        throw new AssertionError("no message in queue " + queue + " within " + WAIT);
    }
}
