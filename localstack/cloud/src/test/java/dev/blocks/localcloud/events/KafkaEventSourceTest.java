package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.emulators.KafkaEmulator;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import dev.blocks.localcloud.spec.KafkaMappingSpec.ErrorHandling;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

@ExtendWith(SharedSqs.class)
class KafkaEventSourceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static KafkaEmulator kafka;
    private static Admin admin;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new KafkaEmulator();
        kafka.start();
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.endpoint());
        admin = Admin.create(properties);
    }

    @AfterAll
    static void stopKafka() {
        admin.close();
        kafka.close();
    }

    @Test
    void deliversBase64RecordsByTopicPartitionAndCommitsOnlyAfterSuccess() throws Exception {
        admin.createTopics(List.of(new NewTopic("clicks", 2, (short) 1))).all().get();
        byte[] headerValue = {104, 105, -1};
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            ProducerRecord<byte[], byte[]> keyed = new ProducerRecord<>("clicks", 0, 1_700_000_000_000L,
                    utf8("link-42"), utf8("{\"code\":\"abc\"}"), List.of(new RecordHeader("trace", headerValue)));
            producer.send(keyed).get();
            producer.send(new ProducerRecord<>("clicks", 1, null, utf8("no key"))).get();
        }
        FailUntilAllowed function = new FailUntilAllowed();
        KafkaEventSource source = new KafkaEventSource(new KafkaMappingSpec(List.of("clicks"), "clicks-consumer",
                "clicks-group", 100, 0, "TRIM_HORIZON", false, true), kafka.endpoint(), function, "us-east-1");
        source.start();
        try {
            Await.until(DEADLINE, () -> function.recording.events().size() >= 2,
                    () -> "the failing batch retried, invocations: " + function.recording.events());
            assertThat(committed("clicks-group")).as("nothing committed while the batch fails").isEmpty();

            function.allowed = true;
            Await.until(DEADLINE, () -> committedAre("clicks-group", Map.of(
                            new TopicPartition("clicks", 0), 1L, new TopicPartition("clicks", 1), 1L)),
                    () -> "offsets of both records committed after success");

            List<JsonNode> events = function.recording.events();
            JsonNode event = events.get(events.size() - 1);
            assertThat(event.path("eventSource").asText()).isEqualTo("aws:kafka");
            assertThat(event.path("eventSourceArn").asText()).startsWith("arn:aws:kafka:us-east-1:000000000000:cluster/");
            assertThat(event.path("bootstrapServers").asText()).isEqualTo(kafka.endpoint());
            for (JsonNode e : events) {
                e.path("records").fields().forEachRemaining(partition -> partition.getValue().forEach(r ->
                        assertThat(partition.getKey()).isEqualTo(r.path("topic").asText() + "-"
                                + r.path("partition").asInt())));
            }
            List<JsonNode> delivered = records(events.subList(events.size() - 1, events.size()));
            if (delivered.size() < 2) {
                // The two partitions may have arrived in two polls, hence two batches.
                delivered = records(events.subList(events.size() - 2, events.size()));
            }
            JsonNode keyed = delivered.stream().filter(r -> r.path("partition").asInt() == 0).findFirst().orElseThrow();
            assertThat(keyed.path("topic").asText()).isEqualTo("clicks");
            assertThat(keyed.path("offset").asLong()).isZero();
            assertThat(keyed.path("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
            assertThat(keyed.path("timestampType").asText()).isEqualTo("CREATE_TIME");
            assertThat(keyed.path("key").asText()).isEqualTo(base64("link-42"));
            assertThat(keyed.path("value").asText()).isEqualTo(base64("{\"code\":\"abc\"}"));
            assertThat(keyed.path("headers").get(0).path("trace").toString()).isEqualTo("[104,105,-1]");
            JsonNode unkeyed = delivered.stream().filter(r -> r.path("partition").asInt() == 1).findFirst().orElseThrow();
            assertThat(unkeyed.has("key")).isFalse();
            assertThat(unkeyed.path("value").asText()).isEqualTo(base64("no key"));
            assertThat(unkeyed.path("headers").isArray()).isTrue();
        } finally {
            source.stop();
        }
    }

    @Test
    void keepsConsumingAcrossABrokerRestart() throws Exception {
        admin.createTopics(List.of(new NewTopic("restarts", 1, (short) 1))).all().get();
        RecordingFunction function = RecordingFunction.succeeding();
        KafkaEventSource source = new KafkaEventSource(new KafkaMappingSpec(List.of("restarts"), "restarts-consumer",
                "", 10, 0, "TRIM_HORIZON", true, true), kafka.endpoint(), function, "us-east-1");
        source.start();
        try {
            send("restarts", "before");
            Await.until(DEADLINE, () -> values(function.events()).contains("before"),
                    () -> "the first record delivered, invocations: " + function.events());
            assertThat(function.events().get(0).path("eventSource").asText()).isEqualTo("SelfManagedKafka");
            assertThat(function.events().get(0).has("eventSourceArn")).isFalse();

            kafka.stop();
            kafka.start();

            send("restarts", "after");
            Await.until(DEADLINE, () -> values(function.events()).contains("after"),
                    () -> "the record sent after the restart delivered, invocations: " + function.events());
            Await.until(DEADLINE, () -> committedAre(source.groupId(), Map.of(new TopicPartition("restarts", 0), 2L)),
                    () -> "both records' offsets committed");
        } finally {
            source.stop();
        }
    }

    @Test
    void aBatchFailingPastItsRetriesGoesToTheOnFailureQueueAndTheMappingGoesOn(LocalSqs sqs) throws Exception {
        admin.createTopics(List.of(new NewTopic("capped", 1, (short) 1))).all().get();
        String failedQueue = sqs.createQueue("capped-failed", Map.of());
        RecordingFunction function = new RecordingFunction((event, invocation) -> {
            if (values(List.of(event)).contains("poison")) {
                throw RecordingFunction.error("cannot write poison");
            }
            return "null";
        });
        KafkaEventSource source = new KafkaEventSource(mapping("capped", false,
                new ErrorHandling(2, Optional.empty(), false, false, Optional.of("capped-failed"))),
                kafka.endpoint(), function, "us-east-1", sqs.client());
        source.start();
        try {
            send("capped", "poison");
            List<Message> failed = received(sqs, failedQueue, 1);
            assertThat(function.events()).as("the first attempt and 2 retries, then no more").hasSize(3)
                    .allSatisfy(event -> assertThat(values(List.of(event))).containsExactly("poison"));

            JsonNode record = json(failed.get(0).body());
            assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
            assertThat(record.path("requestContext").path("functionArn").asText())
                    .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:capped-consumer");
            assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
            JsonNode batch = record.path("KafkaBatchInfo");
            assertThat(batch.path("batchSize").asInt()).isEqualTo(1);
            assertThat(batch.path("bootstrapServers").asText()).isEqualTo(kafka.endpoint());
            assertThat(batch.path("recordsInfo").path("capped-0").path("firstRecordOffset").asText()).isEqualTo("0");
            assertThat(batch.path("recordsInfo").path("capped-0").path("lastRecordOffset").asText()).isEqualTo("0");
            assertThat(record.has("payload")).as("an SQS destination gets no record values").isFalse();
            assertThat(failed.get(0).body()).doesNotContain(base64("poison"));

            send("capped", "after");
            Await.until(DEADLINE, () -> committedAre(source.groupId(), Map.of(new TopicPartition("capped", 0), 2L)),
                    () -> "committed past the discarded record and the next one");
            assertThat(values(function.events())).containsOnlyOnce("after");
        } finally {
            source.stop();
        }
    }

    @Test
    void bisectionIsolatesTheOneFailingRecordAndDeliversTheOthersOnce(LocalSqs sqs) throws Exception {
        admin.createTopics(List.of(new NewTopic("bisected", 1, (short) 1))).all().get();
        String failedQueue = sqs.createQueue("bisected-failed", Map.of());
        RecordingFunction function = new RecordingFunction((event, invocation) -> {
            if (values(List.of(event)).contains("poison")) {
                throw RecordingFunction.error("cannot write poison");
            }
            return "null";
        });
        // A window long enough to gather the 7 records into one batch.
        KafkaEventSource source = new KafkaEventSource(new KafkaMappingSpec(List.of("bisected"), "bisected-consumer",
                "", 100, 2, "TRIM_HORIZON", false, true,
                new ErrorHandling(1, Optional.empty(), true, false, Optional.of("bisected-failed"))),
                kafka.endpoint(), function, "us-east-1", sqs.client());
        source.start();
        try {
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (String value : List.of("a", "b", "c", "poison", "e", "f", "g")) {
                    producer.send(new ProducerRecord<>("bisected", utf8(value)));
                }
            }
            JsonNode record = json(received(sqs, failedQueue, 1).get(0).body());
            JsonNode info = record.path("KafkaBatchInfo").path("recordsInfo").path("bisected-0");
            assertThat(record.path("KafkaBatchInfo").path("batchSize").asInt()).isEqualTo(1);
            assertThat(info.path("firstRecordOffset").asText()).isEqualTo("3");
            assertThat(info.path("lastRecordOffset").asText()).isEqualTo("3");
            Await.until(DEADLINE, () -> committedAre(source.groupId(), Map.of(new TopicPartition("bisected", 0), 7L)),
                    () -> "committed past every record");

            List<JsonNode> succeeded = function.events().stream()
                    .filter(event -> !values(List.of(event)).contains("poison")).toList();
            assertThat(values(succeeded)).as("each other record delivered once, in order")
                    .containsExactly("a", "b", "c", "e", "f", "g");
            List<JsonNode> poisoned = function.events().stream()
                    .filter(event -> values(List.of(event)).contains("poison")).toList();
            // Splits do not use up the retry: the record alone is tried once and retried once.
            assertThat(poisoned.subList(poisoned.size() - 2, poisoned.size()))
                    .allSatisfy(event -> assertThat(values(List.of(event))).containsExactly("poison"));
            assertThat(poisoned.get(poisoned.size() - 3).path("records").path("bisected-0").size())
                    .as("the record was alone only after splits").isGreaterThan(1);
        } finally {
            source.stop();
        }
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreDiscardedUnsent(LocalSqs sqs) throws Exception {
        admin.createTopics(List.of(new NewTopic("aged", 1, (short) 1))).all().get();
        String failedQueue = sqs.createQueue("aged-failed", Map.of());
        RecordingFunction function = RecordingFunction.succeeding();
        KafkaEventSource source = new KafkaEventSource(mapping("aged", true,
                new ErrorHandling(-1, Optional.of(Duration.ofSeconds(60)), false, false, Optional.of("aged-failed"))),
                kafka.endpoint(), function, "us-east-1", sqs.client());
        long twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("aged", 0, twoHoursAgo, null, utf8("stale"))).get();
            producer.send(new ProducerRecord<>("aged", utf8("fresh"))).get();
        }
        source.start();
        try {
            JsonNode record = json(received(sqs, failedQueue, 1).get(0).body());
            assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RecordAgeExceeded");
            assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isZero();
            assertThat(record.path("KafkaBatchInfo").has("eventSourceArn")).as("self-managed").isFalse();
            assertThat(record.path("KafkaBatchInfo").path("recordsInfo").path("aged-0").path("lastRecordOffset")
                    .asText()).isEqualTo("0");
            Await.until(DEADLINE, () -> committedAre(source.groupId(), Map.of(new TopicPartition("aged", 0), 2L)),
                    () -> "committed past both records");
            assertThat(values(function.events())).containsExactly("fresh");
        } finally {
            source.stop();
        }
    }

    @Test
    void reportedItemFailuresAreRetriedFromTheFirstFailedRecordOfThePartition() throws Exception {
        admin.createTopics(List.of(new NewTopic("partial", 1, (short) 1))).all().get();
        RecordingFunction function = new RecordingFunction((event, invocation) -> invocation == 0
                ? "{\"batchItemFailures\":[{\"itemIdentifier\":{\"partition\":\"partial-0\",\"offset\":1}}]}"
                : "{\"batchItemFailures\":[]}");
        KafkaEventSource source = new KafkaEventSource(new KafkaMappingSpec(List.of("partial"), "partial-consumer",
                "", 100, 2, "TRIM_HORIZON", true, true,
                new ErrorHandling(-1, Optional.empty(), false, true, Optional.empty())),
                kafka.endpoint(), function, "us-east-1");
        source.start();
        try {
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (String value : List.of("a", "b", "c")) {
                    producer.send(new ProducerRecord<>("partial", utf8(value)));
                }
            }
            Await.until(DEADLINE, () -> committedAre(source.groupId(), Map.of(new TopicPartition("partial", 0), 3L)),
                    () -> "committed past every record, invocations: " + function.events());
            assertThat(values(function.events().subList(0, 1))).containsExactly("a", "b", "c");
            assertThat(values(function.events().subList(1, 2))).as("the retry starts at the failed record")
                    .containsExactly("b", "c");
            assertThat(function.events()).hasSize(2);
        } finally {
            source.stop();
        }
    }

    private static KafkaMappingSpec mapping(String topic, boolean selfManaged, ErrorHandling errors) {
        return new KafkaMappingSpec(List.of(topic), topic + "-consumer", "", 10, 0, "TRIM_HORIZON", selfManaged,
                true, errors);
    }

    /** Waits for {@code count} messages of the queue and takes them off it. */
    private static List<Message> received(LocalSqs sqs, String queueUrl, int count) {
        List<Message> messages = new ArrayList<>();
        Await.until(DEADLINE, () -> {
            List<Message> batch = sqs.client().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            batch.forEach(m -> sqs.client().deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            messages.addAll(batch);
            return messages.size() >= count;
        }, () -> count + " message(s) in " + queueUrl + ", got " + messages.size());
        assertThat(messages).hasSize(count);
        return messages;
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Fails every batch until the test allows success, as a function whose database is down would. */
    private static final class FailUntilAllowed implements FunctionInvoker {
        final RecordingFunction recording = new RecordingFunction((event, invocation) -> "null");
        volatile boolean allowed;

        @Override
        public byte[] invoke(String functionName, byte[] payload) throws FunctionError {
            byte[] answer = recording.invoke(functionName, payload);
            if (!allowed) {
                throw RecordingFunction.error("database down");
            }
            return answer;
        }
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> out = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                out.put(partition, offset.offset());
            }
        });
        return out;
    }

    /** For polling: a broker still coming back counts as "not yet". */
    private static boolean committedAre(String group, Map<TopicPartition, Long> expected) {
        try {
            return committed(group).equals(expected);
        } catch (Exception e) {
            return false;
        }
    }

    private static void send(String topic, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, utf8(value))).get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.endpoint());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private static List<JsonNode> records(List<JsonNode> events) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode event : events) {
            event.path("records").elements().forEachRemaining(partition -> partition.forEach(out::add));
        }
        return out;
    }

    private static List<String> values(List<JsonNode> events) {
        return records(events).stream()
                .map(r -> new String(Base64.getDecoder().decode(r.path("value").asText()), StandardCharsets.UTF_8))
                .toList();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(utf8(text));
    }
}
