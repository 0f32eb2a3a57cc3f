package dev.blocks.uploads.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.CloudClient;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.localcloud.junit.Pace;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * The uploads API as a client sees it: plain java.net.http requests through the gateway, and requests to the
 * presigned URLs it hands out, sent exactly as a client without any AWS SDK would send them.
 */
final class Api extends CloudClient {

    Api(LocalCloudExtension cloud) {
        super(cloud, Cloud.PREFIX);
    }

    /** Starts an upload and returns its JSON, failing unless the answer is 201. */
    JsonNode start(String apiKey, Object... fields) {
        HttpResponse<String> response = post(apiKey, "/v1/uploads", object(fields).toString());
        if (response.statusCode() != 201) {
            throw new AssertionError("starting an upload answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    JsonNode status(String apiKey, String uploadId) {
        HttpResponse<String> response = get(apiKey, "/v1/uploads/" + uploadId);
        if (response.statusCode() != 200) {
            throw new AssertionError("status answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** Polls the upload's status until it is {@code status}, or fails with the last one seen. */
    JsonNode awaitStatus(String apiKey, String uploadId, String status) {
        JsonNode last = pollUntil(Duration.ofSeconds(60), () -> status(apiKey, uploadId),
                s -> s.path("status").asText().equals(status));
        if (!last.path("status").asText().equals(status)) {
            throw new AssertionError("upload " + uploadId + " never became " + status + ": " + last);
        }
        return last;
    }

    /** Sends {@code body} to a presigned request of the API ({@code url} and {@code headers}), as a client must. */
    static HttpResponse<String> sendSigned(String method, String url, JsonNode headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(CALL_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            // java.net.http sets Content-Length from the body itself (and refuses to be told it)
            if (!header.getKey().equalsIgnoreCase("content-length")) {
                request.header(header.getKey(), header.getValue().asText());
            }
        }
        return send(request);
    }

    /** {@code "name", value, "name", value ...} as a JSON object. */
    static ObjectNode object(Object... fields) {
        ObjectNode out = JSON.createObjectNode();
        for (int i = 0; i < fields.length; i += 2) {
            out.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns once the clock has passed {@code instant} (a known deadline, not a guess). */
    static void waitUntilPast(Instant instant) {
        while (!Instant.now().isAfter(instant) && !Thread.currentThread().isInterrupted()) {
            Pace.sleep(Duration.ofMillis(Math.max(1, Math.min(200, Duration.between(Instant.now(), instant).toMillis() + 1))));
        }
    }
}
