package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Failed attempts are retried with exponential backoff; a run that never succeeds ends in the DLQ as FAILED. */
class RetryIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("retry-" + UUID.randomUUID());
        receiver = new Receiver();
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String soon() {
        return Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Test
    void aTargetFailingThreeTimesIsRetriedWithGrowingGapsAndSucceeds() {
        String jobId = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/fail/3")
                + "\"},\"runAt\":\"" + soon() + "\",\"maxAttempts\":5}");
        JsonNode job = api.awaitJob(key, jobId, Duration.ofSeconds(180), j -> j.path("status").asText().matches("SUCCEEDED|FAILED"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        JsonNode run = job.path("runs").get(0);
        assertThat(run.path("attempt").asInt()).isEqualTo(4);
        JsonNode attempts = run.path("attempts");
        assertThat(attempts.size()).isEqualTo(4);
        for (int i = 0; i < 3; i++) {
            assertThat(attempts.get(i).path("error").asText()).startsWith("HTTP 503");
        }
        assertThat(attempts.get(3).has("error")).isFalse();

        // Gaps between the deliveries the target saw: at least the backoff (1, 2, 4 s), and each longer than the last.
        List<Receiver.Delivery> deliveries = receiver.deliveries(jobId);
        assertThat(deliveries).hasSize(4);
        long[] gaps = new long[3];
        for (int i = 0; i < 3; i++) {
            gaps[i] = Duration.between(deliveries.get(i).receivedAt(), deliveries.get(i + 1).receivedAt()).toMillis();
        }
        assertThat(gaps[0]).isGreaterThanOrEqualTo(1000);
        assertThat(gaps[1]).isGreaterThanOrEqualTo(2000).isGreaterThan(gaps[0]);
        assertThat(gaps[2]).isGreaterThanOrEqualTo(4000).isGreaterThan(gaps[1]);
        assertThat(deliveries).extracting(Receiver.Delivery::attempt).containsExactly(1, 2, 3, 4);
        assertThat(deliveries).extracting(Receiver.Delivery::idempotencyKey).containsOnly(deliveries.get(0).idempotencyKey());
    }

    @Test
    void aTargetThatAlwaysFailsEndsInTheDeadLetterQueueAsFailed() {
        String jobId = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/fail")
                + "\"},\"runAt\":\"" + soon() + "\",\"maxAttempts\":3}");
        JsonNode job = api.awaitJob(key, jobId, Duration.ofSeconds(180), j -> j.path("status").asText().matches("SUCCEEDED|FAILED"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("FAILED");
        JsonNode run = job.path("runs").get(0);
        assertThat(run.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(run.path("attempt").asInt()).isEqualTo(3);
        assertThat(run.path("attempts").size()).isEqualTo(3);
        assertThat(run.path("error").asText()).startsWith("HTTP 500");
        assertThat(job.path("lastRun").path("outcome").asText()).isEqualTo("FAILED");
        assertThat(receiver.deliveries(jobId)).hasSize(3);

        try (SqsClient sqs = api.sqs()) {
            String url = sqs.getQueueUrl(b -> b.queueName("sch-jobs-runs-dlq")).queueUrl();
            Message parked = Api.pollUntil(Duration.ofSeconds(20), () -> sqs.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages().stream()
                            .filter(m -> m.body().contains(jobId)).findFirst().orElse(null),
                    m -> m != null);
            assertThat(parked).isNotNull();
            assertThat(parked.messageAttributes().get("attempts").stringValue()).isEqualTo("3");
            assertThat(parked.messageAttributes().get("error").stringValue()).startsWith("HTTP 500");
        }
    }
}
