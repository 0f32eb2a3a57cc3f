package dev.blocks.uploads.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.ApiFuzz;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpResponse;
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
 * Every route of the uploads API given hostile bodies, paths and headers (see {@link ApiFuzz}): only 2xx or a 4xx
 * problem, never a 5xx; a refused request wrote nothing, an accepted upload reads back. Prints how many inputs each
 * route was given.
 */
class FuzzIT {

    private static final LocalCloudExtension CLOUD = Cloud.extension();
    private static final String[] START_FIELDS = {"size", "expiresInSeconds", "method", "filename", "contentType",
        "sha256", "purpose"};

    private static Api api;
    private static String key;
    private static String openUpload;

    @BeforeContainer
    static void keyAndOneOpenUpload() {
        api = new Api(CLOUD);
        key = api.issueKey("fuzz");
        openUpload = api.start(key, "filename", "big.bin", "size", 200L * 1024 * 1024,
                "contentType", "application/octet-stream").path("uploadId").asText();
    }

    @AfterContainer
    static void report() {
        System.out.println(ApiFuzz.report());
    }

    @Property
    void startingAnUpload(@ForAll("startBodies") String body, @ForAll("headers") Map<String, String> headers) {
        long writes = writes();
        HttpResponse<String> response = send("POST", "/v1/uploads", body, headers);
        JsonNode accepted = ApiFuzz.check("POST /v1/uploads", response);
        if (response.statusCode() >= 400) {
            assertThat(writes()).as("writes after a %d", response.statusCode()).isEqualTo(writes);
        } else {
            String id = accepted.path("uploadId").asText(accepted.path("fileId").asText());
            HttpResponse<String> readBack = api.get(key, (accepted.has("uploadId") ? "/v1/uploads/" : "/v1/files/") + id);
            assertThat(readBack.statusCode()).as("reading back %s", accepted).isEqualTo(200);
        }
    }

    @Property
    void partsAndCompletion(@ForAll("uploadIds") String id, @ForAll("partBodies") String body,
            @ForAll boolean complete) {
        String route = complete ? "complete" : "parts";
        HttpResponse<String> response = send("POST", "/v1/uploads/" + id + "/" + route, body, Map.of());
        ApiFuzz.check("POST /v1/uploads/{id}/" + route, response);
        assertThat(api.get(key, "/v1/uploads/" + openUpload).statusCode()).isEqualTo(200);
    }

    @Property
    void readingAndAborting(@ForAll("uploadIds") String id, @ForAll("readRoutes") String route) {
        String method = route.startsWith("DELETE") ? "DELETE" : "GET";
        String path = route.substring(route.indexOf(' ') + 1).replace("{id}", id);
        ApiFuzz.check(route, send(method, path, null, Map.of()));
    }

    @Provide
    Arbitrary<String> startBodies() {
        return Arbitraries.oneOf(ApiFuzz.bodies(START_FIELDS), ApiFuzz.mutationsOf(
                "{\"filename\":\"a.bin\",\"size\":1024,\"contentType\":\"application/octet-stream\"}"));
    }

    @Provide
    Arbitrary<String> partBodies() {
        return Arbitraries.oneOf(ApiFuzz.bodies("partNumbers", "parts", "partNumber", "etag", "eTag"),
                ApiFuzz.mutationsOf("{\"partNumbers\":[1,2]}"));
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        return ApiFuzz.headers();
    }

    @Provide
    Arbitrary<String> uploadIds() {
        // The open upload is never aborted here (readingAndAborting deletes only the others), so parts and
        // completion keep reaching an upload that exists.
        return Arbitraries.oneOf(Arbitraries.just(openUpload), Arbitraries.create(() -> UUID.randomUUID().toString()),
                ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> readRoutes() {
        return Arbitraries.of("GET /v1/uploads/{id}", "DELETE /v1/uploads/{id}", "GET /v1/files/{id}",
                "GET /v1/files/{id}/content");
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        if (method.equals("DELETE") && path.contains(openUpload)) {
            method = "GET";
        }
        Map<String, String> all = new HashMap<>(headers);
        all.put("x-api-key", key);
        return ApiFuzz.send(method, CLOUD.gatewayUri(path), body, all);
    }

    private static long writes() {
        return CLOUD.dynamoDbRequests(Cloud.TABLE, "PutItem")
                + CLOUD.dynamoDbRequests(Cloud.TABLE, "TransactWriteItems");
    }
}
