package dev.blocks.uploads.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
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
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The uploads API as a client sees it: plain java.net.http requests through the gateway, and requests to the
 * presigned URLs it hands out, sent exactly as a client without any AWS SDK would send them.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final LocalCloudExtension cloud;

    Api(LocalCloudExtension cloud) {
        this.cloud = cloud;
    }

    /** A new API key of {@code owner}, made by the kit's api-keys function as an operator would. */
    String issueKey(String owner) {
        try (LambdaClient lambda = Cloud.lambda(cloud)) {
            ObjectNode command = JSON.createObjectNode().put("action", "create").put("owner", owner);
            InvokeResponse response = lambda.invoke(b -> b.functionName(Cloud.API_KEYS_FUNCTION)
                    .payload(SdkBytes.fromUtf8String(command.toString())));
            if (response.functionError() != null) {
                throw new IllegalStateException("api-keys failed: " + response.payload().asUtf8String());
            }
            return json(response.payload().asUtf8String()).path("apiKey").asText();
        }
    }

    HttpResponse<String> post(String apiKey, String path, String body) {
        return send(request(apiKey, path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String apiKey, String path) {
        return send(request(apiKey, path).GET());
    }

    HttpResponse<String> delete(String apiKey, String path) {
        return send(request(apiKey, path).DELETE());
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

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
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

    /** Calls {@code call} until {@code done} accepts its result or {@code within} has passed; returns the last result. */
    static <T> T pollUntil(Duration within, Supplier<T> call, Predicate<T> done) {
        Instant deadline = Instant.now().plus(within);
        T last = call.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            pause(Duration.ofMillis(100));
            last = call.get();
        }
        return last;
    }

    /** Returns once the clock has passed {@code instant} (a known deadline, not a guess). */
    static void waitUntilPast(Instant instant) {
        while (!Instant.now().isAfter(instant)) {
            pause(Duration.ofMillis(Math.max(1, Math.min(200, Duration.between(Instant.now(), instant).toMillis() + 1))));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String apiKey, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(cloud.gatewayUri(path)).timeout(CALL_TIMEOUT);
        if (apiKey != null) {
            builder.header("x-api-key", apiKey);
        }
        return builder;
    }
}
