package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.scheduler.store.JobItems;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
        JsonNode problem = Api.problem(response, 400);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("errors").size()).isPositive();
    }

    @Test
    void aPayloadOver256KbIsRefused() {
        String big = "x".repeat(256 * 1024);
        HttpResponse<String> response = api.create(alice, "{\"target\":" + QUEUE + ",\"payload\":\"" + big + "\"}");
        Api.problem(response, 400);
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

    /**
     * An owner's jobs are spread over the byOwner index's partitions (4 in the test stack): a listing merges them
     * newest first, and paging on with the cursor visits every job exactly once, also when filtered by status.
     */
    @Test
    void manyJobsOfOneOwnerListNewestFirstAcrossPartitionsWithAnExactCursor() {
        String dave = api.issueKey("dave-" + UUID.randomUUID());
        java.util.List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 23; i++) {
            created.add(api.created(dave, "{\"target\":" + QUEUE + ",\"runAt\":\"2031-02-01T00:00:00Z\"}"));
        }
        java.util.List<String> paused = created.subList(3, 10);
        for (String job : paused) {
            assertThat(api.post(dave, "/v1/jobs/" + job + "/pause").statusCode()).isEqualTo(200);
        }

        java.util.List<JsonNode> listed = listAll(dave, "limit=5", 5);
        assertThat(listed).extracting(j -> j.path("jobId").asText()).containsExactlyElementsOf(reversed(created));
        java.util.List<JsonNode> listedPaused = listAll(dave, "status=PAUSED&limit=3", 3);
        assertThat(listedPaused).extracting(j -> j.path("jobId").asText()).containsExactlyElementsOf(reversed(paused));
        assertThat(listedPaused).allMatch(j -> j.path("status").asText().equals("PAUSED"));
        // The index spreads them over the owner's partitions and holds keys and status only (no payload, no target).
        String someJob = listed.get(0).path("jobId").asText();
        try (var dynamo = api.dynamo()) {
            var item = dynamo.getItem(b -> b.tableName(Cloud.PREFIX + "-jobs").consistentRead(true).key(java.util.Map.of(
                    JobItems.PK, AttributeValue.fromS(JobItems.pk(someJob)), JobItems.SK, AttributeValue.fromS(JobItems.JOB_SK)))).item();
            String daveOwner = item.get("owner").s();
            java.util.Set<String> partitions = new java.util.HashSet<>();
            for (int shard = 0; shard < 4; shard++) {
                String partition = daveOwner + "#" + shard;
                var entries = dynamo.query(b -> b.tableName(Cloud.PREFIX + "-jobs").indexName("byOwner")
                        .keyConditionExpression("ownerShard = :p")
                        .expressionAttributeValues(java.util.Map.of(":p", AttributeValue.fromS(partition))))
                        .items();
                if (!entries.isEmpty()) {
                    partitions.add(partition);
                }
                assertThat(entries).allSatisfy(e -> assertThat(e.keySet()).containsExactlyInAnyOrder("pk", "sk", "ownerShard", "createdKey", "status"));
            }
            assertThat(partitions).hasSizeGreaterThan(1);
        }
        // Another owner's cursor continues nothing of this owner's.
        String cursor = Api.json(api.get(dave, "/v1/jobs?limit=5")).path("cursor").asText();
        assertThat(api.get(bob, "/v1/jobs?cursor=" + cursor).statusCode()).isEqualTo(400);
    }

    private static java.util.List<String> reversed(java.util.List<String> ids) {
        java.util.List<String> out = new java.util.ArrayList<>(ids);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Every page of a listing, followed by its cursor; each page but the last is full. */
    private static java.util.List<JsonNode> listAll(String apiKey, String query, int limit) {
        java.util.List<JsonNode> jobs = new java.util.ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 50; pages++) {
            JsonNode page = Api.json(api.get(apiKey, "/v1/jobs?" + query + (cursor == null ? "" : "&cursor=" + cursor)));
            cursor = page.path("cursor").isNull() || page.path("cursor").isMissingNode() ? null : page.path("cursor").asText();
            if (cursor != null) {
                assertThat(page.path("jobs").size()).isEqualTo(limit);
            }
            page.path("jobs").forEach(jobs::add);
            if (cursor == null) {
                return jobs;
            }
        }
        throw new AssertionError("the listing never ended");
    }

    /** A misplaced option ("headers" beside the target, not in it) is a 400 naming it, and nothing is written. */
    @Test
    void aMisplacedOptionIsRefusedByNameAndNothingIsWritten() {
        String erin = api.issueKey("erin-" + UUID.randomUUID());
        String idempotencyKey = "strict-" + UUID.randomUUID();
        String target = "{\"type\":\"http\",\"url\":\"http://127.0.0.1:9/hook\"}";
        var refused = api.create(erin, "{\"target\":" + target + ",\"headers\":{\"Authorization\":\"Bearer t\"},"
                + "\"runAt\":\"2031-03-01T00:00:00Z\",\"idempotencyKey\":\"" + idempotencyKey + "\"}");
        JsonNode problem = Api.problem(refused, 400);
        assertThat(problem.path("errors")).hasSize(1);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("headers");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("unknown field");
        // Nothing written: the owner has no job, and the same key then creates a new one (201, not a replay).
        assertThat(Api.json(api.get(erin, "/v1/jobs")).path("jobs").size()).isZero();
        var created = api.create(erin, "{\"target\":" + target + ",\"runAt\":\"2031-03-01T00:00:00Z\",\"idempotencyKey\":\""
                + idempotencyKey + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
    }
}
