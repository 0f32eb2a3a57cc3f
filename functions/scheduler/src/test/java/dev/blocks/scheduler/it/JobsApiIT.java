package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** jobs-api through the gateway: validation as problem+json, idempotent creation, ownership and listing. */
class JobsApiIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void keys() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice-" + UUID.randomUUID());
        bob = api.issueKey("bob-" + UUID.randomUUID());
    }

    private static final String QUEUE = "{\"type\":\"sqs\",\"queue\":\"ext-sch-sink\"}";

    @ParameterizedTest
    @ValueSource(strings = {
        // two schedule kinds
        "{\"target\":" + QUEUE + ",\"runAt\":\"2030-01-01T00:00:00Z\",\"cron\":\"0 9 * * *\"}",
        // cron with 7 fields (a Quartz expression with seconds and year)
        "{\"target\":" + QUEUE + ",\"cron\":\"0 0 9 ? * MON 2030\"}",
        // unknown time zone
        "{\"target\":" + QUEUE + ",\"cron\":\"0 9 * * *\",\"timeZone\":\"Mars/Olympus_Mons\"}",
        // runAt in the past beyond the catch-up window (1 h)
        "{\"target\":" + QUEUE + ",\"runAt\":\"2020-01-01T00:00:00Z\"}",
        // EventBridge needs ? in one day field
        "{\"target\":" + QUEUE + ",\"cron\":\"0 9 * * MON *\"}",
        "{\"target\":" + QUEUE + ",\"rate\":\"rate(1 minutes)\"}",
        "{\"target\":" + QUEUE + ",\"runAt\":\"tomorrow\"}",
        "{\"target\":{\"type\":\"ftp\"}}",
        "{\"target\":{\"type\":\"http\",\"url\":\"http://169.254.169.254/latest/meta-data/\"}}",
        "{\"target\":{\"type\":\"http\",\"url\":\"http://10.0.0.8/hook\"}}",
        "{\"target\":{\"type\":\"http\",\"url\":\"http://localhost:8080/\"}}",
        "{\"target\":{\"type\":\"lambda\",\"function\":\"someone-elses-function\"}}",
        "{\"target\":{\"type\":\"lambda\",\"function\":\"sch-jobs-worker\"}}",
        "{\"target\":" + QUEUE + ",\"maxAttempts\":0}",
        "{\"target\":" + QUEUE + ",\"overlap\":\"sometimes\"}",
        "{\"target\":" + QUEUE + ",\"cronExpression\":\"0 9 * * *\"}"
    })
    void badInputIsA400Problem(String body) {
        HttpResponse<String> response = api.create(alice, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = Api.json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("errors").size()).isPositive();
    }

    @Test
    void aPayloadOver256KbIsRefused() {
        String big = "x".repeat(256 * 1024);
        HttpResponse<String> response = api.create(alice, "{\"target\":" + QUEUE + ",\"payload\":\"" + big + "\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(Api.json(response).path("errors").get(0).path("field").asText()).isEqualTo("payload");
    }

    @Test
    void fieldErrorsNameTheField() {
        JsonNode problem = Api.json(api.create(alice, "{\"target\":" + QUEUE + ",\"cron\":\"0 0 9 ? * MON 2030\"}"));
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("cron");
        assertThat(problem.path("errors").get(0).path("message").asText()).contains("7 fields");
        problem = Api.json(api.create(alice, "{\"target\":" + QUEUE + ",\"cron\":\"0 9 * * *\",\"timeZone\":\"Nowhere/City\"}"));
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("timeZone");
        problem = Api.json(api.create(alice, "{\"target\":" + QUEUE + ",\"rate\":\"rate(5 minutes)\",\"runAt\":\"2030-01-01T00:00:00Z\"}"));
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("schedule");
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstJob() {
        String key = "order-" + UUID.randomUUID();
        String body = "{\"target\":" + QUEUE + ",\"runAt\":\"2031-01-01T00:00:00Z\",\"idempotencyKey\":\"" + key + "\"}";
        HttpResponse<String> first = api.create(alice, body);
        HttpResponse<String> second = api.create(alice, body.replace("2031", "2032"));
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(Api.json(second).path("jobId").asText()).isEqualTo(Api.json(first).path("jobId").asText());
        assertThat(Api.json(second).path("nextRunAt").asText()).isEqualTo("2031-01-01T00:00:00Z");
        // The same key of another owner is another job.
        assertThat(api.create(bob, body).statusCode()).isEqualTo(201);
    }

    @Test
    void cronJobsShowTheirScheduleAndNextRun() {
        String id = api.created(alice, "{\"name\":\"report\",\"target\":" + QUEUE
                + ",\"cron\":\"0 9 ? * MON-FRI *\",\"timeZone\":\"Europe/Berlin\",\"payload\":{\"kind\":\"report\"}}");
        JsonNode job = api.job(alice, id);
        assertThat(job.path("status").asText()).isEqualTo("SCHEDULED");
        assertThat(job.path("schedule").path("syntax").asText()).isEqualTo("eventbridge");
        assertThat(job.path("schedule").path("timeZone").asText()).isEqualTo("Europe/Berlin");
        Instant next = Instant.parse(job.path("nextRunAt").asText());
        assertThat(next).isAfter(Instant.now());
        assertThat(next.atZone(java.time.ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(9);
        assertThat(job.path("payload").path("kind").asText()).isEqualTo("report");
        assertThat(job.path("runs").size()).isZero();
    }

    @Test
    void jobsBelongToTheirOwnerAndListInPages() {
        String owner = "carol-" + UUID.randomUUID();
        String carol = api.issueKey(owner);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.created(carol, "{\"target\":" + QUEUE + ",\"runAt\":\"2031-0" + (i + 1) + "-01T00:00:00Z\"}"));
        }
        String one = created.iterator().next();
        assertThat(api.get(bob, "/v1/jobs/" + one).statusCode()).isEqualTo(404);
        assertThat(api.delete(bob, "/v1/jobs/" + one).statusCode()).isEqualTo(404);
        assertThat(api.get("bk_not-a-real-key-0000000000", "/v1/jobs/" + one).statusCode()).isEqualTo(401);

        Set<String> listed = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = Api.json(api.get(carol, "/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
            page.path("jobs").forEach(j -> listed.add(j.path("jobId").asText()));
            cursor = page.path("cursor").isNull() ? null : page.path("cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(listed).isEqualTo(created);
        assertThat(pages).isEqualTo(3);

        api.delete(carol, "/v1/jobs/" + one);
        JsonNode cancelled = Api.json(api.get(carol, "/v1/jobs?status=CANCELLED"));
        assertThat(cancelled.path("jobs").size()).isEqualTo(1);
        assertThat(cancelled.path("jobs").get(0).path("jobId").asText()).isEqualTo(one);
        assertThat(api.get(carol, "/v1/jobs?status=NOPE").statusCode()).isEqualTo(400);
        assertThat(api.get(carol, "/v1/jobs?cursor=garbage").statusCode()).isEqualTo(400);
    }
}
