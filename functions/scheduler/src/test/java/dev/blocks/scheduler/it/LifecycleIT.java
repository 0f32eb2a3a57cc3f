package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pause, resume and cancel take effect. That a paused or cancelled job did NOT fire is judged against a control
 * job due after it: once the control has fired, the other's time has passed too.
 */
class LifecycleIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String key;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        key = api.issueKey("lifecycle-" + UUID.randomUUID());
        receiver = new Receiver();
        // The claim-ahead test needs a worker that answers within the early window, not a cold one.
        api.warmUp(key, receiver);
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private String job(int secondsFromNow) {
        String runAt = Instant.now().plusSeconds(secondsFromNow).truncatedTo(ChronoUnit.MILLIS).toString();
        return api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok") + "\"},\"runAt\":\"" + runAt + "\"}");
    }

    private void awaitControl(String control) {
        JsonNode job = api.awaitJob(key, control, Duration.ofSeconds(180), j -> j.path("status").asText().equals("SUCCEEDED"));
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aPausedJobDoesNotFireAndFiresOnceResumed() {
        String paused = job(4);
        JsonNode afterPause = Api.json(api.post(key, "/v1/jobs/" + paused + "/pause"));
        assertThat(afterPause.path("status").asText()).isEqualTo("PAUSED");
        assertThat(afterPause.path("nextRunAt").isNull()).isTrue();
        awaitControl(job(7));
        assertThat(receiver.deliveries(paused)).isEmpty();
        assertThat(api.job(key, paused).path("runs").size()).isZero();

        // Its time passed while paused, within the catch-up window: it fires once, at once.
        JsonNode afterResume = Api.json(api.post(key, "/v1/jobs/" + paused + "/resume"));
        assertThat(afterResume.path("status").asText()).isEqualTo("SCHEDULED");
        JsonNode job = api.awaitJob(key, paused, Duration.ofSeconds(120), j -> j.path("status").asText().equals("SUCCEEDED"));
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(receiver.deliveries(paused)).hasSize(1);
    }

    @Test
    void aRunClaimedAheadOfItsTimeDoesNotFireWhenItsJobIsPausedMeanwhile() {
        String paused = job(20);
        // The worker claims a run when its message arrives, `early` (10 s in the test stack) before its time: the
        // run record exists, RUNNING, and has no start, since nothing has been called yet.
        JsonNode claimed = api.awaitJob(key, paused, Duration.ofSeconds(18), j -> j.path("runs").size() == 1);
        assertThat(claimed.path("runs").size()).as("claimed before its time: " + claimed).isEqualTo(1);
        assertThat(claimed.path("runs").get(0).path("outcome").asText()).isEqualTo("RUNNING");
        assertThat(claimed.path("runs").get(0).path("startedAt").isNull()).as("a claimed run has not started").isTrue();

        assertThat(Api.json(api.post(key, "/v1/jobs/" + paused + "/pause")).path("status").asText()).isEqualTo("PAUSED");
        // At its time the worker reads the job again, finds it paused and takes its claim back.
        JsonNode withdrawn = api.awaitJob(key, paused, Duration.ofSeconds(60), j -> j.path("runs").size() == 0);
        assertThat(withdrawn.path("runs").size()).as(withdrawn.toString()).isZero();
        awaitControl(job(2));
        assertThat(receiver.deliveries(paused)).isEmpty();

        JsonNode afterResume = Api.json(api.post(key, "/v1/jobs/" + paused + "/resume"));
        assertThat(afterResume.path("status").asText()).isEqualTo("SCHEDULED");
        JsonNode job = api.awaitJob(key, paused, Duration.ofSeconds(120), j -> j.path("status").asText().equals("SUCCEEDED"));
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(receiver.deliveries(paused)).hasSize(1);
        JsonNode run = job.path("runs").get(0);
        Instant started = Instant.parse(run.path("startedAt").asText());
        // The recorded start is when the target was called (after the resume), not the time the run was planned for.
        assertThat(started).isAfter(Instant.parse(run.path("scheduledAt").asText()));
    }

    @Test
    void aCancelledJobNeverFires() {
        String cancelled = job(4);
        assertThat(api.delete(key, "/v1/jobs/" + cancelled).statusCode()).isEqualTo(204);
        assertThat(api.job(key, cancelled).path("status").asText()).isEqualTo("CANCELLED");
        awaitControl(job(7));
        assertThat(receiver.deliveries(cancelled)).isEmpty();
        assertThat(api.job(key, cancelled).path("runs").size()).isZero();
        // Cancelling again is harmless; a cancelled job can be neither resumed nor triggered.
        assertThat(api.delete(key, "/v1/jobs/" + cancelled).statusCode()).isEqualTo(204);
        assertThat(api.post(key, "/v1/jobs/" + cancelled + "/resume").statusCode()).isEqualTo(409);
        assertThat(api.post(key, "/v1/jobs/" + cancelled + "/trigger").statusCode()).isEqualTo(409);
    }

    @Test
    void aRecurringJobCanBePausedResumedAndCancelled() {
        String recurring = api.created(key, "{\"target\":{\"type\":\"http\",\"url\":\"" + receiver.url("/ok")
                + "\"},\"cron\":\"0 3 * * *\",\"timeZone\":\"Australia/Lord_Howe\"}");
        String next = api.job(key, recurring).path("nextRunAt").asText();
        assertThat(Api.json(api.post(key, "/v1/jobs/" + recurring + "/pause")).path("status").asText()).isEqualTo("PAUSED");
        JsonNode resumed = Api.json(api.post(key, "/v1/jobs/" + recurring + "/resume"));
        assertThat(resumed.path("status").asText()).isEqualTo("SCHEDULED");
        assertThat(resumed.path("nextRunAt").asText()).isEqualTo(next);
        assertThat(api.delete(key, "/v1/jobs/" + recurring).statusCode()).isEqualTo(204);
        JsonNode cancelled = api.job(key, recurring);
        assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("nextRunAt").isNull()).isTrue();
    }
}
