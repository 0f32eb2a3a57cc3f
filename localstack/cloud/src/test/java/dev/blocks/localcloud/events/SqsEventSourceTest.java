package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.QueueMappingSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

@ExtendWith(SharedSqs.class)
class SqsEventSourceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    /** Short long-polls keep each test's stop() quick. */
    private static final Duration RECEIVE_WAIT = Duration.ofSeconds(1);
    private static final Map<QueueAttributeName, String> ONE_SECOND_VISIBILITY =
            Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1");

    private static LocalSqs sqs;

    @BeforeAll
    static void useSharedSqs(LocalSqs shared) {
        sqs = shared;
    }

    @Test
    void onlyTheReportedItemComesBackAndTheRestIsDeleted() throws Exception {
        String url = sqs.createQueue("partial", ONE_SECOND_VISIBILITY);
        for (int i = 0; i < 5; i++) {
            int n = i;
            sqs.client().sendMessage(r -> r.queueUrl(url).messageBody("job-" + n).messageAttributes(Map.of(
                    "kind", MessageAttributeValue.builder().dataType("String").stringValue("resize").build(),
                    "blob", MessageAttributeValue.builder().dataType("Binary")
                            .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build())));
        }
        AtomicReference<String> failedId = new AtomicReference<>();
        RecordingFunction function = new RecordingFunction((event, invocation) -> {
            if (invocation > 0) {
                return "{\"batchItemFailures\":[]}";
            }
            failedId.set(event.path("Records").get(2).path("messageId").asText());
            return "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + failedId.get() + "\"}]}";
        });
        SqsEventSource source = source(new QueueMappingSpec("partial", "worker", 10, 0, true, true), function, 3);
        source.start();
        try {
            Await.until(DEADLINE, () -> function.events().size() >= 2 && sqs.messagesLeft(url) == 0,
                    () -> "the failed item redelivered and the queue drained, invocations: " + function.events());

            JsonNode first = function.events().get(0).path("Records");
            assertThat(first).hasSize(5);
            assertThat(receiveCounts(first)).containsOnly("1");
            JsonNode again = function.events().get(1).path("Records");
            assertThat(again).hasSize(1);
            assertThat(again.get(0).path("messageId").asText()).isEqualTo(failedId.get());
            assertThat(again.get(0).path("body").asText()).isEqualTo("job-2");
            assertThat(again.get(0).path("attributes").path("ApproximateReceiveCount").asText()).isEqualTo("2");
            assertThat(function.events()).as("the four others were deleted, never redelivered").hasSize(2);
            assertThat(function.functionNames()).containsOnly("worker");

            JsonNode record = first.get(0);
            assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
            assertThat(record.path("eventSourceARN").asText()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:partial");
            assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
            assertThat(record.path("receiptHandle").asText()).isNotEmpty();
            assertThat(record.path("md5OfBody").asText()).isEqualTo(md5(record.path("body").asText()));
            assertThat(record.path("attributes").path("SentTimestamp").asText()).matches("\\d+");
            assertThat(record.path("attributes").path("ApproximateFirstReceiveTimestamp").asText()).matches("\\d+");
            assertThat(record.path("attributes").has("SenderId")).isTrue();
            JsonNode kind = record.path("messageAttributes").path("kind");
            assertThat(kind.path("stringValue").asText()).isEqualTo("resize");
            assertThat(kind.path("dataType").asText()).isEqualTo("String");
            assertThat(kind.path("stringListValues").isArray()).isTrue();
            assertThat(kind.path("binaryListValues").isArray()).isTrue();
            JsonNode blob = record.path("messageAttributes").path("blob");
            assertThat(blob.path("binaryValue").asText()).isEqualTo("AQID");
            assertThat(blob.path("dataType").asText()).isEqualTo("Binary");
        } finally {
            source.stop();
        }
    }

    @Test
    void aFunctionErrorLeavesTheWholeBatchForRedelivery() {
        String url = sqs.createQueue("erroring", ONE_SECOND_VISIBILITY);
        Set<String> sent = sendBodies(url, "a", "b", "c", "d", "e");
        RecordingFunction function = new RecordingFunction((event, invocation) -> {
            if (invocation == 0) {
                throw RecordingFunction.error("database down");
            }
            return "null";
        });
        SqsEventSource source = source(new QueueMappingSpec("erroring", "worker", 10, 0, false, true), function, 3);
        source.start();
        try {
            Await.until(DEADLINE, () -> sqs.messagesLeft(url) == 0 && function.events().size() >= 2,
                    () -> "the batch redelivered and deleted, invocations: " + function.events());
            assertThat(bodies(function.events().get(0))).isEqualTo(sent);
            List<JsonNode> redelivered = records(function.events().subList(1, function.events().size()));
            assertThat(redelivered).extracting(r -> r.path("body").asText())
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(redelivered).extracting(r -> r.path("attributes").path("ApproximateReceiveCount").asText())
                    .containsOnly("2");
        } finally {
            source.stop();
        }
    }

    @Test
    void anAnswerNamingNoMessageOfTheBatchFailsTheWholeBatch() {
        String url = sqs.createQueue("bad-answer", ONE_SECOND_VISIBILITY);
        Set<String> sent = sendBodies(url, "x", "y", "z");
        RecordingFunction function = new RecordingFunction((event, invocation) -> invocation == 0
                ? "{\"batchItemFailures\":[{\"itemIdentifier\":\"not-a-message-of-this-batch\"}]}"
                : "{}");
        SqsEventSource source = source(new QueueMappingSpec("bad-answer", "worker", 10, 0, true, true), function, 1);
        source.start();
        try {
            Await.until(DEADLINE, () -> sqs.messagesLeft(url) == 0 && function.events().size() >= 2,
                    () -> "the batch redelivered and deleted, invocations: " + function.events());
            assertThat(bodies(function.events().get(1))).isEqualTo(sent);
            assertThat(receiveCounts(function.events().get(1).path("Records"))).containsOnly("2");
        } finally {
            source.stop();
        }
    }

    @Test
    void repeatedFailuresRedriveTheMessageToTheDeadLetterQueue() {
        String dlqUrl = sqs.createQueue("jobs-dlq", Map.of());
        String url = sqs.createQueue("jobs", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:jobs-dlq\",\"maxReceiveCount\":\"2\"}"));
        sqs.client().sendMessage(r -> r.queueUrl(url).messageBody("poison"));
        RecordingFunction function = new RecordingFunction((event, invocation) -> {
            throw RecordingFunction.error("cannot handle poison");
        });
        SqsEventSource source = source(new QueueMappingSpec("jobs", "worker", 10, 0, true, true), function, 3);
        source.start();
        try {
            Await.until(DEADLINE, () -> sqs.messagesWaiting(dlqUrl) == 1,
                    () -> "the message in the DLQ, invocations: " + function.events());
            assertThat(sqs.messagesLeft(url)).isZero();
            assertThat(records(function.events())).extracting(r -> r.path("attributes")
                    .path("ApproximateReceiveCount").asText()).containsExactly("1", "2");
            List<Message> dead = sqs.client().receiveMessage(r -> r.queueUrl(dlqUrl)).messages();
            assertThat(dead).extracting(Message::body).containsExactly("poison");
        } finally {
            source.stop();
        }
    }

    @Test
    void aBatchingWindowGathersMoreThanOneReceiveCanHold() {
        String url = sqs.createQueue("gathered", Map.of());
        List<String> bodies = IntStream.range(0, 15).mapToObj(i -> "m" + i).toList();
        sendBodies(url, bodies.subList(0, 10).toArray(String[]::new));
        sendBodies(url, bodies.subList(10, 15).toArray(String[]::new));
        RecordingFunction function = RecordingFunction.succeeding();
        SqsEventSource source = source(new QueueMappingSpec("gathered", "worker", 15, 2, false, true), function, 1);
        source.start();
        try {
            Await.until(DEADLINE, () -> sqs.messagesLeft(url) == 0,
                    () -> "the queue drained, invocations: " + function.events());
            assertThat(function.events()).hasSize(1);
            assertThat(bodies(function.events().get(0))).containsExactlyInAnyOrderElementsOf(bodies);
        } finally {
            source.stop();
        }
    }

    @Test
    void aFifoQueueDeliversAGroupInOrderWithItsFifoAttributes() {
        String url = sqs.createQueue("orders.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        List<String> sent = IntStream.range(0, 6).mapToObj(i -> "step-" + i).toList();
        for (String body : sent) {
            sqs.client().sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId("order-1")
                    .messageDeduplicationId(body));
        }
        RecordingFunction function = RecordingFunction.succeeding();
        SqsEventSource source = new SqsEventSource(new QueueMappingSpec("orders.fifo", "worker", 2, 0, false, true),
                sqs.client(), function);
        source.start();
        try {
            Await.until(DEADLINE, () -> records(function.events()).size() == sent.size(),
                    () -> "all six delivered, invocations: " + function.events());
            List<JsonNode> delivered = records(function.events());
            assertThat(delivered).extracting(r -> r.path("body").asText()).containsExactlyElementsOf(sent);
            JsonNode attributes = delivered.get(0).path("attributes");
            assertThat(attributes.path("MessageGroupId").asText()).isEqualTo("order-1");
            assertThat(attributes.path("MessageDeduplicationId").asText()).isEqualTo("step-0");
            assertThat(attributes.path("SequenceNumber").asText()).isNotEmpty();
            assertThat(function.events()).allSatisfy(e -> assertThat(e.path("Records").size()).isLessThanOrEqualTo(2));
            Await.until(DEADLINE, () -> sqs.messagesLeft(url) == 0, () -> "the FIFO queue drained");
        } finally {
            source.stop();
        }
    }

    /**
     * A group whose batch is still running holds back only its own later messages: another group's messages are
     * delivered meanwhile, as Lambda runs a FIFO queue's message groups in parallel.
     */
    @Test
    void aFifoQueueRunsDifferentMessageGroupsInParallel() throws Exception {
        String url = sqs.createQueue("parallel.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FunctionInvoker function = (name, payload) -> {
            try {
                JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
                for (JsonNode record : event.path("Records")) {
                    seen.add(record.path("body").asText());
                }
                if (event.path("Records").path(0).path("attributes").path("MessageGroupId").asText().equals("slow")) {
                    release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
        for (String[] message : new String[][] {{"slow", "slow-1"}, {"slow", "slow-2"}, {"fast", "fast-1"},
                {"fast", "fast-2"}}) {
            sqs.client().sendMessage(r -> r.queueUrl(url).messageBody(message[1]).messageGroupId(message[0])
                    .messageDeduplicationId(message[1]));
        }
        SqsEventSource source = new SqsEventSource(new QueueMappingSpec("parallel.fifo", "worker", 1, 0, false, true),
                sqs.client(), function);
        source.start();
        try {
            Await.until(DEADLINE, () -> seen.containsAll(List.of("slow-1", "fast-1", "fast-2")),
                    () -> "the fast group ran while the slow one was held: " + seen);
            assertThat(seen).doesNotContain("slow-2");
            release.countDown();
            Await.until(DEADLINE, () -> seen.contains("slow-2"), () -> "the slow group went on: " + seen);
            assertThat(seen.indexOf("slow-1")).isLessThan(seen.indexOf("slow-2"));
            assertThat(seen.indexOf("fast-1")).isLessThan(seen.indexOf("fast-2"));
        } finally {
            release.countDown();
            source.stop();
        }
    }

    private static SqsEventSource source(QueueMappingSpec mapping, RecordingFunction function, int pollers) {
        return new SqsEventSource(mapping, sqs.client(), function, RECEIVE_WAIT, pollers);
    }

    private static Set<String> sendBodies(String url, String... bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies[i]).build());
        }
        sqs.client().sendMessageBatch(r -> r.queueUrl(url).entries(entries));
        return Set.of(bodies);
    }

    private static List<JsonNode> records(List<JsonNode> events) {
        return events.stream().flatMap(e -> StreamSupport.stream(e.path("Records").spliterator(), false)).toList();
    }

    private static Set<String> bodies(JsonNode event) {
        return StreamSupport.stream(event.path("Records").spliterator(), false)
                .map(r -> r.path("body").asText()).collect(Collectors.toSet());
    }

    private static List<String> receiveCounts(JsonNode records) {
        return StreamSupport.stream(records.spliterator(), false)
                .map(r -> r.path("attributes").path("ApproximateReceiveCount").asText()).toList();
    }

    private static String md5(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
