package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.scheduler.store.JobItems;
import dev.blocks.scheduler.store.RunMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Recurring jobs in real minutes, with the dispatcher out of the way: this stack's dispatcher ticks every 10
 * minutes, so after a job's first run (enqueued by jobs-api) every run must be enqueued by the worker that moved the
 * job to it. Targets are slower than a minute here (a 100 s delivery deadline and a 150 s lease), so runs of one job
 * overlap and each overlap policy shows what it does to the target's concurrency. The local cloud hands the run
 * queue to at most three worker invocations at once, and an invocation lasts as long as its slowest run: so the
 * skip and buffer jobs start a minute after the others, leaving an invocation free at every minute (three slow runs
 * due together could hold all three and make every other run of that minute late). The class observes about two
 * and a half minutes of runs.
 */
class RecurringIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension()
            .var("dispatcher_cadence_seconds", "600")
            .var("run_lease_seconds", "150")
            .var("target_timeout", "100s");

    /** The lateness the README promises ("within about a second"), as LatenessIT bounds its p99. */
    private static final Duration PROMISED_LATENESS = Duration.ofSeconds(2);
    private static final long SLOW_MILLIS = 70_000;

    private static Api api;
    private static String key;
    private static Receiver receiver;
    private static Instant firstMinute;
    private static String everyMinute;
    private static String skip;
    private static String allow;
    private static String buffer;

    @BeforeAll
    static void setUp() throws InterruptedException {
        api = new Api(CLOUD);
        key = api.issueKey("recurring-" + UUID.randomUUID());
        receiver = new Receiver();
        api.warmUp(key, receiver);
        // Creating the jobs takes a few seconds; start them all at a minute at least 15 s away.
        Instant now = Instant.now();
        if (now.atZone(java.time.ZoneOffset.UTC).getSecond() > 40) {
            Thread.sleep(Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(61)).toMillis());
        }
        everyMinute = cron("/ok", "skip");
        allow = cron("/slow/" + SLOW_MILLIS, "allow");
        firstMinute = Instant.parse(api.job(key, everyMinute).path("nextRunAt").asText());
        assertThat(Instant.parse(api.job(key, allow).path("nextRunAt").asText())).isEqualTo(firstMinute);
        // Wait for the first minute to begin (a point on the clock, not a guess), so these start a minute later.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), firstMinute.plusSeconds(1)).toMillis()));
        skip = cron("/slow/" + SLOW_MILLIS, "skip");
        buffer = cron("/slow/" + SLOW_MILLIS, "buffer");
        for (String job : List.of(skip, buffer)) {
            assertThat(Instant.parse(api.job(key, job).path("nextRunAt").asText())).isEqualTo(minute(1));
        }
    }

    @AfterAll
    static void tearDown() {
        if (api != null) {
            for (String job : new String[] {everyMinute, skip, allow, buffer}) {
                if (job != null) {
                    api.delete(key, "/v1/jobs/" + job);
                }
            }
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String cron(String path, String overlap) {
        return api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url(path) + "\"},\"cron\":\"* * * * *\","
                + "\"overlap\":\"" + overlap + "\",\"maxAttempts\":1}");
    }

    private static Instant minute(int n) {
        return firstMinute.plus(Duration.ofMinutes(n));
    }

    private static List<Receiver.Delivery> awaitDeliveries(String job, int count, Instant deadline) {
        return Api.pollUntil(Duration.between(Instant.now(), deadline), () -> receiver.deliveries(job), d -> d.size() >= count);
    }

    private static JsonNode run(JsonNode job, Instant scheduledAt) {
        return StreamSupport.stream(job.path("runs").spliterator(), false)
                .filter(r -> Instant.parse(r.path("scheduledAt").asText()).equals(scheduledAt)).findFirst().orElse(null);
    }

    private static JsonNode awaitRun(String job, Instant scheduledAt, String outcome, Instant deadline) {
        return Api.pollUntil(Duration.between(Instant.now(), deadline), () -> api.job(key, job), j -> {
            JsonNode run = run(j, scheduledAt);
            return run != null && run.path("outcome").asText().equals(outcome);
        });
    }

    @Test
    void aCronJobEveryMinuteFiresEachMinuteOnTimeWithItsNextRunsEnqueuedByTheWorker() {
        List<Receiver.Delivery> deliveries = awaitDeliveries(everyMinute, 3, minute(2).plusSeconds(20));
        assertThat(deliveries).as("three runs within 2 min 20 s of the first: " + deliveries).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 0; i < 3; i++) {
            Receiver.Delivery delivery = deliveries.get(i);
            assertThat(delivery.scheduledAt()).isEqualTo(minute(i));
            Duration late = Duration.between(minute(i), delivery.receivedAt());
            assertThat(late).as("run of " + minute(i) + " received " + late + " after its minute").isGreaterThanOrEqualTo(Duration.ZERO)
                    .isLessThanOrEqualTo(PROMISED_LATENESS);
        }
        // Each run once: no run enqueued twice (by the worker and a dispatcher) reached the target twice.
        assertThat(deliveries.stream().map(Receiver.Delivery::idempotencyKey).distinct().count()).isEqualTo(deliveries.size());
    }

    @Test
    void overlapSkipRecordsTheRunDueWhileTheLastStillRunsAsSkippedAndGoesOnAfterIt() {
        JsonNode job = awaitRun(skip, minute(2), "SKIPPED", minute(2).plusSeconds(20));
        assertThat(run(job, minute(2))).as(job.toString()).isNotNull();
        assertThat(run(job, minute(2)).path("outcome").asText()).isEqualTo("SKIPPED");
        assertThat(receiver.deliveries(skip)).extracting(Receiver.Delivery::scheduledAt).containsExactly(minute(1));
        assertThat(receiver.mostAtOnce(skip)).isEqualTo(1);
        // The job goes on with the minute after the skipped one.
        assertThat(Instant.parse(job.path("nextRunAt").asText())).isEqualTo(minute(3));
    }

    @Test
    void overlapAllowRunsTheNextRunBesideTheOneStillRunning() {
        List<Receiver.Delivery> deliveries = awaitDeliveries(allow, 2, minute(1).plusSeconds(20));
        assertThat(deliveries).extracting(Receiver.Delivery::scheduledAt).startsWith(minute(0), minute(1));
        assertThat(Duration.between(minute(1), deliveries.get(1).receivedAt())).isLessThanOrEqualTo(PROMISED_LATENESS);
        // The first run answers only after 70 s: the two were under way together.
        assertThat(receiver.mostAtOnce(allow)).isEqualTo(2);
        JsonNode job = awaitRun(allow, minute(0), "SUCCEEDED", minute(1).plusSeconds(40));
        assertThat(run(job, minute(0)).path("outcome").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void overlapBufferHoldsTheNextRunUntilTheOneRunningEndsThenStartsIt() {
        List<Receiver.Delivery> deliveries = awaitDeliveries(buffer, 2, minute(2).plusSeconds(40));
        assertThat(deliveries).extracting(Receiver.Delivery::scheduledAt).startsWith(minute(1), minute(2));
        List<Receiver.Span> spans = receiver.spans(buffer);
        assertThat(spans).isNotEmpty();
        Instant firstEnded = spans.get(0).answeredAt();
        assertThat(spans.get(0).delivery().scheduledAt()).isEqualTo(minute(1));
        // The buffered run starts after the first one answered, and promptly (no dispatcher tick in between).
        Instant bufferedStart = deliveries.get(1).receivedAt();
        assertThat(bufferedStart).isAfterOrEqualTo(firstEnded);
        assertThat(Duration.between(firstEnded, bufferedStart)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(receiver.mostAtOnce(buffer)).isEqualTo(1);
        JsonNode job = api.job(key, buffer);
        assertThat(run(job, minute(2))).as(job.toString()).isNotNull();
    }

    /**
     * What a worker outage leaves behind: a job still pointing at a run two hours old (a dispatcher had claimed it)
     * and that run's message in the queue. The workers, back, must follow the catch-up policy: the stale run is
     * MISSED and never reaches the target; the job fires once for the window and goes on from now.
     */
    @Test
    void aRunFoundLaterThanTheCatchUpWindowIsMissedAndTheJobFiresOnceForTheWindow() {
        String job = cron("/ok", "skip");
        try (DynamoDbClient dynamo = api.dynamo(); SqsClient sqs = api.sqs()) {
            assertThat(api.post(key, "/v1/jobs/" + job + "/pause").statusCode()).isEqualTo(200);
            Instant now = Instant.now();
            Instant stale = now.minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES);
            dynamo.updateItem(b -> b.tableName(Cloud.PREFIX + "-jobs")
                    .key(Map.of(JobItems.PK, AttributeValue.fromS(JobItems.pk(job)), JobItems.SK, AttributeValue.fromS(JobItems.JOB_SK)))
                    .updateExpression("SET #status = :scheduled, #next = :stale, #lease = :lease REMOVE #dueKey")
                    .expressionAttributeNames(Map.of("#status", "status", "#next", JobItems.NEXT_RUN_AT,
                            "#lease", JobItems.DISPATCH_LEASE, "#dueKey", JobItems.DUE_KEY))
                    .expressionAttributeValues(Map.of(":scheduled", AttributeValue.fromS("SCHEDULED"),
                            ":stale", AttributeValue.fromN(Long.toString(stale.toEpochMilli())),
                            ":lease", AttributeValue.fromN(Long.toString(now.plus(Duration.ofHours(1)).toEpochMilli())))));
            String url = sqs.getQueueUrl(b -> b.queueName(Cloud.PREFIX + "-jobs-runs")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(new RunMessage(job, stale, false).toJson()));

            JsonNode missed = awaitRun(job, stale, "MISSED", Instant.now().plusSeconds(60));
            assertThat(run(missed, stale)).as(missed.toString()).isNotNull();
            assertThat(run(missed, stale).path("outcome").asText()).isEqualTo("MISSED");
            // The oldest occurrence inside the one-hour window fires, once, at once.
            Instant catchUp = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            List<Receiver.Delivery> deliveries = awaitDeliveries(job, 1, Instant.now().plusSeconds(30));
            assertThat(deliveries).isNotEmpty();
            assertThat(deliveries.get(0).scheduledAt()).isBetween(catchUp.minus(Duration.ofMinutes(1)), catchUp.plus(Duration.ofMinutes(1)));
            JsonNode after = api.awaitJob(key, job, Duration.ofSeconds(30), j -> !j.path("nextRunAt").isNull()
                    && Instant.parse(j.path("nextRunAt").asText()).isAfter(now));
            // Then it goes on from now: its next run is the next minute, not the stale hour's others.
            assertThat(Instant.parse(after.path("nextRunAt").asText())).isAfter(now).isBefore(Instant.now().plusSeconds(61));
            assertThat(receiver.deliveries(job)).extracting(Receiver.Delivery::scheduledAt)
                    .allMatch(at -> !at.isBefore(catchUp.minus(Duration.ofMinutes(1))))
                    .doesNotContain(stale);
            assertThat(receiver.deliveries(job).stream().filter(d -> d.scheduledAt().isBefore(now)).count()).isEqualTo(1);
        } finally {
            api.delete(key, "/v1/jobs/" + job);
        }
    }
}
