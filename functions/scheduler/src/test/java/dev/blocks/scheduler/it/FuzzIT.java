package dev.blocks.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.ApiFuzz;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every route of the jobs API given hostile bodies, paths, query strings and headers (see {@link ApiFuzz}): only 2xx
 * or a 4xx problem, never a 5xx. A refused creation wrote nothing; an accepted one reads back (its payload as sent)
 * and is cancelled at once, before it is due, so that no fuzzed job ever runs. The one known job is never cancelled
 * or triggered here: a triggered run would reach the sink queue the delivery tests read.
 */
class FuzzIT {

    private static final LocalCloudExtension CLOUD = Cloud.extension();
    private static final String TABLE = Cloud.PREFIX + "-jobs";
    private static final String[] JOB_FIELDS = {"name", "runAt", "cron", "timeZone", "rate", "idempotencyKey",
        "maxAttempts", "overlap", "target", "payload", "type", "queue", "topic", "url", "method", "function", "headers"};
    /** A job that is valid but for its payload, due long after the test has cancelled it. */
    private static final String FAR_JOB = "{\"target\":{\"type\":\"sqs\",\"queue\":\"ext-sch-sink\"},"
            + "\"runAt\":\"2031-01-01T00:00:00Z\"";

    private static Api api;
    private static String key;
    private static String knownJob;

    @BeforeContainer
    static void keyAndOneJob() {
        api = new Api(CLOUD);
        key = api.issueKey("fuzz");
        knownJob = api.created(key, FAR_JOB + "}");
    }

    @AfterContainer
    static void report() {
        System.out.println(ApiFuzz.report());
    }

    @Property
    void creatingAJob(@ForAll("jobBodies") String body, @ForAll("headers") Map<String, String> headers) {
        created(body, headers, null);
    }

    @Property
    void creatingAJobWithAHostilePayload(@ForAll("payloads") String payload) {
        created(FAR_JOB + ",\"payload\":" + payload + "}", Map.of(), payload);
    }

    @Property
    void managingJobs(@ForAll("jobIds") String id, @ForAll("manageRoutes") String route) {
        if (id.equals(knownJob) && (route.startsWith("DELETE") || route.endsWith("trigger"))) {
            route = "GET /v1/jobs/{id}";
        }
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replace("{id}", id);
        ApiFuzz.check(route, send(method, path, null, Map.of()));
        assertThat(api.get(key, "/v1/jobs/" + knownJob).statusCode()).isEqualTo(200);
    }

    @Property
    void listingJobs(@ForAll("queryValues") String status, @ForAll("queryValues") String limit,
            @ForAll("queryValues") String cursor, @ForAll("headers") Map<String, String> headers) {
        String query = "?status=" + status + "&limit=" + limit + "&cursor=" + cursor;
        JsonNode page = ApiFuzz.check("GET /v1/jobs", send("GET", "/v1/jobs" + query, null, headers));
        if (page != null) {
            assertThat(page.path("jobs").isArray()).as("a page: %s", page).isTrue();
        }
    }

    /** Sends a creation and checks its verdict; {@code payload}, when given, is what must read back. */
    private void created(String body, Map<String, String> headers, String payload) {
        long writes = CLOUD.dynamoDbRequests(TABLE, "PutItem");
        HttpResponse<String> response = send("POST", "/v1/jobs", body, headers);
        JsonNode accepted = ApiFuzz.check("POST /v1/jobs", response);
        if (response.statusCode() >= 400) {
            assertThat(CLOUD.dynamoDbRequests(TABLE, "PutItem")).as("writes after a %d", response.statusCode())
                    .isEqualTo(writes);
            return;
        }
        String id = accepted.path("jobId").asText();
        HttpResponse<String> readBack = api.get(key, "/v1/jobs/" + id);
        // cancelled before anything is read from the answer, so that a failed assertion leaves no job to run
        HttpResponse<String> cancelled = api.delete(key, "/v1/jobs/" + id);
        assertThat(readBack.statusCode()).as("reading back %s", accepted).isEqualTo(200);
        assertThat(cancelled.statusCode()).as("cancelling %s: %s", id, cancelled.body()).isIn(204, 409);
        if (payload != null) {
            // as it went over the wire: the client sends a raw unpaired surrogate as "?", as any UTF-8 client does
            String sent = new String(payload.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(Api.json(readBack).path("payload")).as("the payload read back").isEqualTo(json(sent));
        }
    }

    @Provide
    Arbitrary<String> jobBodies() {
        return Arbitraries.oneOf(ApiFuzz.bodies(JOB_FIELDS), ApiFuzz.mutationsOf(FAR_JOB + "}",
                FAR_JOB + ",\"name\":\"nightly\",\"maxAttempts\":3,\"payload\":{\"a\":[1,2]}}"));
    }

    @Provide
    Arbitrary<String> payloads() {
        return ApiFuzz.bodies("data", "id", "type");
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        return ApiFuzz.headers();
    }

    @Provide
    Arbitrary<String> jobIds() {
        return Arbitraries.oneOf(Arbitraries.just(knownJob), Arbitraries.create(() -> UUID.randomUUID().toString()),
                ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> queryValues() {
        return Arbitraries.oneOf(Arbitraries.of("SCHEDULED", "paused", "1", "100", "101", "0", "-5", ""),
                ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> manageRoutes() {
        return Arbitraries.of("GET /v1/jobs/{id}", "DELETE /v1/jobs/{id}", "POST /v1/jobs/{id}/pause",
                "POST /v1/jobs/{id}/resume", "POST /v1/jobs/{id}/trigger");
    }

    private static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("x-api-key", key);
        return ApiFuzz.send(method, CLOUD.gatewayUri(path), body, all);
    }

    private static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("the API took a payload that is not JSON: " + text, e);
        }
    }
}
