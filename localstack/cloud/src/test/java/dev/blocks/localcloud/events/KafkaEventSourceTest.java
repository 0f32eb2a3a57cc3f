package dev.blocks.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.Await;
import dev.blocks.localcloud.emulators.KafkaEmulator;
import dev.blocks.localcloud.lambda.FunctionInvoker;
import dev.blocks.localcloud.spec.KafkaMappingSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
