package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** A job of each target kind fires on time and its target receives the payload with the run's identity. */
class DeliveryIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("delivery-" + UUID.randomUUID());
        receiver = new Receiver();
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String soon(int seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private JsonNode awaitOutcome(String jobId) {
        JsonNode job = api.awaitJob(key, jobId, Duration.ofSeconds(180),
                j -> j.path("status").asText().equals("SUCCEEDED") || j.path("status").asText().equals("FAILED"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    @Test
    void anHttpEndpointGetsThePayloadAtItsTime() {
        String runAt = soon(3);
        String jobId = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok")
                + "\",\"headers\":{\"X-Tenant\":\"t1\"}},\"runAt\":\"" + runAt + "\",\"payload\":{\"hello\":\"world\"}}");
        JsonNode job = awaitOutcome(jobId);

        List<Receiver.Delivery> deliveries = receiver.deliveries(jobId);
        assertThat(deliveries).hasSize(1);
        Receiver.Delivery delivery = deliveries.get(0);
        assertThat(delivery.body()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(delivery.idempotencyKey()).isEqualTo(jobId + "@" + Instant.parse(runAt));
        assertThat(delivery.attempt()).isEqualTo(1);
        assertThat(delivery.receivedAt()).isAfterOrEqualTo(Instant.parse(runAt));

        JsonNode run = job.path("runs").get(0);
        assertThat(run.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("attempt").asInt()).isEqualTo(1);
        assertThat(Instant.parse(run.path("scheduledAt").asText())).isEqualTo(Instant.parse(runAt));
        assertThat(Instant.parse(run.path("startedAt").asText())).isAfterOrEqualTo(Instant.parse(runAt));
        assertThat(Instant.parse(run.path("finishedAt").asText())).isAfterOrEqualTo(Instant.parse(run.path("startedAt").asText()));
        assertThat(job.path("lastRun").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("nextRunAt").isNull()).isTrue();
    }

    @Test
    void aQueueGetsThePayloadWithTheRunsIdentity() {
        String jobId = api.created(key, "{\"target\":{\"type\":\"sqs\",\"queue\":\"ext-sch-sink\"},\"runAt\":\"" + soon(2)
                + "\",\"payload\":[1,2,3]}");
        awaitOutcome(jobId);
        try (SqsClient sqs = api.sqs()) {
            String url = sqs.getQueueUrl(b -> b.queueName("ext-sch-sink")).queueUrl();
            Message found = Api.pollUntil(Duration.ofSeconds(20), () -> sqs.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages().stream()
                            .filter(m -> m.messageAttributes().containsKey("job-id")
                                    && jobId.equals(m.messageAttributes().get("job-id").stringValue()))
                            .findFirst().orElse(null),
                    m -> m != null);
            assertThat(found).isNotNull();
            assertThat(found.body()).isEqualTo("[1,2,3]");
            assertThat(found.messageAttributes().get("idempotency-key").stringValue()).startsWith(jobId + "@");
        }
    }

    @Test
    void aKafkaTopicGetsARecordKeyedByJob() {
        String jobId = api.created(key, "{\"target\":{\"type\":\"kafka\",\"topic\":\"ext-sch-sink\"},\"runAt\":\"" + soon(2)
                + "\",\"payload\":{\"n\":7}}");
        awaitOutcome(jobId);
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, CLOUD.endpoints().kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("ext-sch-sink"));
            ConsumerRecord<String, String> found = Api.pollUntil(Duration.ofSeconds(120), () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (jobId.equals(r.key())) {
                        return r;
                    }
                }
                return null;
            }, r -> r != null);
            assertThat(found).isNotNull();
            assertThat(found.value()).isEqualTo("{\"n\":7}");
            assertThat(new String(found.headers().lastHeader("idempotency-key").value(), StandardCharsets.UTF_8)).startsWith(jobId + "@");
        }
    }

    @Test
    void anAllowedLambdaFunctionIsInvokedWithThePayload() {
        // The target is the test stack's allowed function outside the prefix (ext-sch-keys: the kit's api-keys role
        // under another name): the job registers a key, which then opens the jobs API.
        String owner = "lambda-target-" + UUID.randomUUID();
        String newKey = "bk_" + UUID.randomUUID().toString().replace("-", "");
        String jobId = api.created(key, "{\"target\":{\"type\":\"lambda\",\"function\":\"ext-sch-keys\"},\"runAt\":\"" + soon(2)
                + "\",\"payload\":{\"action\":\"import\",\"owner\":\"" + owner + "\",\"apiKey\":\"" + newKey + "\"}}");
        awaitOutcome(jobId);
        assertThat(api.get(newKey, "/v1/jobs").statusCode()).isEqualTo(200);
    }

    /**
     * ext-sch-slow sleeps 8 s (its timeout is 15 s), longer than the test stack's delivery deadline (5 s, which the
     * Lambda client used to give up at, failing the attempt and invoking the function again while it still ran).
     * The worker waits as long as the function may run: one attempt, which succeeds after the sleep.
     */
    @Test
    void aLambdaSlowerThanTheDeliveryDeadlineIsWaitedForAndInvokedOnce() {
        String jobId = api.created(key, "{\"target\":{\"type\":\"lambda\",\"function\":\"ext-sch-slow\"},\"runAt\":\"" + soon(2)
                + "\",\"payload\":{\"sleepMillis\":8000},\"maxAttempts\":3}");
        JsonNode job = awaitOutcome(jobId);
        JsonNode run = job.path("runs").get(0);
        assertThat(run.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("attempt").asInt()).as(run.toString()).isEqualTo(1);
        assertThat(run.path("attempts").size()).as(run.toString()).isEqualTo(1);
        Duration took = Duration.between(Instant.parse(run.path("startedAt").asText()), Instant.parse(run.path("finishedAt").asText()));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aRecurringJobTriggeredByHandRunsNowAndKeepsItsSchedule() {
        String jobId = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok")
                + "\"},\"cron\":\"0 9 1 1 ? 2031\",\"payload\":{}}");
        assertThat(api.post(key, "/v1/jobs/" + jobId + "/trigger").statusCode()).isEqualTo(202);
        JsonNode job = api.awaitJob(key, jobId, Duration.ofSeconds(120),
                j -> j.path("runs").size() > 0 && j.path("runs").get(0).path("outcome").asText().equals("SUCCEEDED"));
        assertThat(job.path("runs").get(0).path("triggered").asBoolean()).isTrue();
        assertThat(job.path("status").asText()).isEqualTo("SCHEDULED");
        assertThat(job.path("nextRunAt").asText()).isEqualTo("2031-01-01T09:00:00Z");
        assertThat(receiver.deliveries(jobId)).hasSize(1);
    }
}
