package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.FaultReport;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault suite (issue 14) for the scheduler: DynamoDB dies while jobs are created, ElasticMQ stops with runs on their
 * way, and jobs-worker dies mid-batch. Runs are delivered at least once, always under the run's one idempotency key;
 * the receiver applies each key's effect once, and each test counts raw deliveries against the jobs it created.
 */
class FaultIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String WORKER = Cloud.PREFIX + "-jobs-worker";

    private static Api api;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        receiver = new Receiver();
        api.warmUp(owner(), receiver);
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String owner() {
        return api.issueKey("fault-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String job(String url, Instant runAt, String idempotencyKey) {
        return "{\"target\":{\"type\":\"http\",\"url\":\"" + url + "\"},\"runAt\":\""
                + runAt.truncatedTo(ChronoUnit.MILLIS) + "\"" + (idempotencyKey == null ? "" : ",\"idempotencyKey\":\"" + idempotencyKey + "\"")
                + "}";
    }

    private static List<String> arrivals(Set<String> jobIds) {
        return receiver.all().stream().map(Receiver.Delivery::jobId).filter(jobIds::contains).toList();
    }

    /** Waits until every job reached the receiver and says SUCCEEDED; returns the raw arrivals of those jobs. */
    private static List<String> awaitDelivered(String key, List<String> jobIds) {
        Set<String> ids = Set.copyOf(jobIds);
        List<String> arrived = Api.pollUntil(DEADLINE, () -> arrivals(ids), got -> Set.copyOf(got).containsAll(ids));
        for (String id : jobIds) {
            JsonNode job = api.awaitJob(key, id, DEADLINE, j -> j.path("status").asText().equals("SUCCEEDED"));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        }
        return arrivals(ids);
    }

    /** Every delivery of a job carries its run's one idempotency key, and the receiver applied it once. */
    private static void assertOneRunEach(List<String> jobIds) {
        for (String id : jobIds) {
            Set<String> keys = receiver.deliveries(id).stream().map(Receiver.Delivery::idempotencyKey).collect(Collectors.toSet());
            assertThat(keys).as("idempotency keys of " + id).hasSize(1);
            assertThat(receiver.effects(id)).as("effects of " + id).isEqualTo(1);
        }
    }

    /**
     * DynamoDB Local is killed while jobs are being created (each with an idempotency key) and started again once three creations were refused:
     * every creation answers 201, or 503 with Retry-After. Afterwards each refused creation is retried with its key
     * and answers 201 (it was not written) or 200 replayed (it was written whole before the answer was lost), never
     * a second job; every job is there and fires once. Costs about 25 s.
     */
    @Test
    void jobsCreatedAcrossADynamoDbRestartAreStoredWholeAndFire() throws Exception {
        String key = owner();
        String url = receiver.url("/ok");
        record Attempt(String idempotencyKey, int status, String retryAfter, String jobId) {}
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService creator = Executors.newSingleThreadExecutor();
        Future<?> creating = creator.submit(() -> {
            while (!stop.get()) {
                String idem = "fault-" + UUID.randomUUID();
                HttpResponse<String> answer = api.create(key, job(url, Instant.now().plusSeconds(5), idem));
                attempts.add(new Attempt(idem, answer.statusCode(), answer.headers().firstValue("retry-after").orElse(null),
                        answer.statusCode() == 201 ? Api.json(answer).path("jobId").asText() : null));
                Pace.sleep(Duration.ofMillis(100));
            }
        });
        long refusedDuring;
        try {
            Api.pollUntil(Duration.ofSeconds(30), attempts::size, n -> n >= 5);
            CLOUD.killService("dynamodb");
            try {
                // Down until creations are seen refused (the SDK's own retries hide a shorter outage), at most 30 s.
                Api.pollUntil(Duration.ofSeconds(30), () -> attempts.stream().filter(a -> a.status() == 503).count(), n -> n >= 3);
            } finally {
                CLOUD.startService("dynamodb");
            }
            refusedDuring = attempts.stream().filter(a -> a.status() == 503).count();
            Api.pollUntil(DEADLINE, () -> List.copyOf(attempts),
                    list -> list.size() > 5 && list.subList(list.size() - 5, list.size()).stream().allMatch(a -> a.status() == 201));
        } finally {
            stop.set(true);
            creating.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            creator.shutdownNow();
        }
        List<Attempt> all = List.copyOf(attempts);
        List<String> jobIds = new ArrayList<>();
        int replayed = 0;
        int refused = 0;
        for (Attempt attempt : all) {
            assertThat(attempt.status()).as(attempt.toString()).isIn(201, 503);
            if (attempt.status() == 201) {
                jobIds.add(attempt.jobId());
                continue;
            }
            refused++;
            assertThat(attempt.retryAfter()).as("503 carries Retry-After: " + attempt).isNotNull();
            HttpResponse<String> again = api.create(key, job(url, Instant.now().plusSeconds(2), attempt.idempotencyKey()));
            assertThat(again.statusCode()).as("retried with its key: " + again.body()).isIn(200, 201);
            if (again.statusCode() == 200) {
                replayed++;
                assertThat(again.headers().firstValue("idempotent-replayed")).hasValue("true");
            }
            jobIds.add(Api.json(again).path("jobId").asText());
        }
        assertThat(refusedDuring).as("creations refused during the outage").isPositive();
        assertThat(Set.copyOf(jobIds)).as("one job per idempotency key").hasSize(jobIds.size());

        List<String> arrived = awaitDelivered(key, jobIds);
        FaultReport.of("scheduler dynamodb killed under job creation", jobIds, arrived, "attempts " + all.size()
                + ", refused 503 " + refused + ", of which replayed as already written " + replayed);
        assertOneRunEach(jobIds);
    }

    /**
     * ElasticMQ stops while runs are queued with delays, some received and not yet deleted, and more jobs are created
     * during the outage (their first enqueue fails and the dispatcher takes over); started 3 s later with every
     * message kept. No run is lost; a run delivered twice carries its one idempotency key. Costs about 20 s.
     */
    @Test
    void runsInFlightAcrossAnSqsRestartAreAllDelivered() {
        String key = owner();
        String url = receiver.url("/slow/300");
        Instant start = Instant.now();
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobIds.add(api.created(key, job(url, start.plusMillis(3000 + 300L * i), null)));
        }
        Set<String> ids = Set.copyOf(jobIds);
        assertThat(Api.pollUntil(DEADLINE, () -> arrivals(ids).size(), n -> n >= 3)).isGreaterThanOrEqualTo(3);
        int deliveredAtStop;
        CLOUD.stopService("sqs");
        try {
            deliveredAtStop = Set.copyOf(arrivals(ids)).size();
            for (int i = 0; i < 5; i++) {
                jobIds.add(api.created(key, job(url, Instant.now().plusSeconds(1), null)));
            }
            Pace.sleep(Duration.ofSeconds(3)); // the outage's length, not a wait for an outcome
        } finally {
            CLOUD.startService("sqs");
        }
        List<String> arrived = awaitDelivered(key, jobIds);
        FaultReport.of("scheduler sqs restarted with runs in flight", jobIds, arrived,
                "raw deliveries " + arrived.size() + "; delivered at the stop " + deliveredAtStop + ", 5 created during the outage");
        assertThat(deliveredAtStop).as("runs were still on their way when SQS stopped").isLessThan(30);
        assertOneRunEach(jobIds);
    }

    /**
     * jobs-worker is killed while it delivers a batch of runs to a slow target: the runs it held come back after the
     * lease (the queue's visibility timeout, 45 s) and each job's effect is applied once. Costs about 60 s.
     */
    @Test
    void runsOfAWorkerKilledMidBatchAreRedeliveredOncePerKey() {
        String key = owner();
        String url = receiver.url("/slow/2000");
        Instant due = Instant.now().plusSeconds(3);
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobIds.add(api.created(key, job(url, due, null)));
        }
        Set<String> ids = Set.copyOf(jobIds);
        assertThat(Api.pollUntil(Duration.ofSeconds(60), () -> arrivals(ids).size(), n -> n >= 1)).isPositive();
        int busy = api.busy(WORKER);
        int answeredAtKill = (int) jobIds.stream().filter(id -> !receiver.spans(id).isEmpty()).count();
        CLOUD.killFunction(WORKER);
        List<String> arrived = awaitDelivered(key, jobIds);
        long redelivered = jobIds.stream().filter(id -> receiver.deliveries(id).size() > 1).count();
        FaultReport.of("scheduler jobs-worker killed mid-batch", jobIds, arrived, "raw deliveries " + arrived.size()
                + "; workers busy at the kill " + busy + ", runs answered before it " + answeredAtKill
                + ", jobs delivered more than once " + redelivered);
        assertThat(busy).as("the worker was running a batch when killed").isPositive();
        assertThat(answeredAtKill).as("runs were still on their way when the worker died").isLessThan(jobIds.size());
        assertOneRunEach(jobIds);
    }
}
