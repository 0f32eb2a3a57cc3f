package dev.blocks.ratelimit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** The rate-limit API as a client sees it: plain java.net.http requests through the local cloud's gateway. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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

    HttpResponse<String> check(String apiKey, String rule, String key) {
        return post(apiKey, "/v1/ratelimit/check", JSON.createObjectNode().put("rule", rule).put("key", key).toString());
    }

    HttpResponse<String> check(String apiKey, String rule, String key, long cost) {
        return post(apiKey, "/v1/ratelimit/check",
                JSON.createObjectNode().put("rule", rule).put("key", key).put("cost", cost).toString());
    }

    HttpResponse<String> post(String apiKey, String path, String body) {
        return send(request(apiKey, path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> put(String apiKey, String path, String body) {
        return send(request(apiKey, path).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String apiKey, String path) {
        return send(request(apiKey, path).GET());
    }

    HttpResponse<String> delete(String apiKey, String path) {
        return send(request(apiKey, path).DELETE());
    }

    /** PUTs a rule and fails unless the admin API took it (201 or 200). */
    void putRule(String adminKey, String id, String ruleJson) {
        HttpResponse<String> response = put(adminKey, "/v1/ratelimit/rules/" + id, ruleJson);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("PUT rule " + id + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
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

    /** Calls {@code call} until {@code done} accepts its result or {@code within} has passed; returns the last result. */
    static <T> T pollUntil(Duration within, Supplier<T> call, Predicate<T> done) {
        Instant deadline = Instant.now().plus(within);
        T last = call.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = call.get();
        }
        return last;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String apiKey, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(cloud.gatewayUri(path));
        if (apiKey != null) {
            builder.header("x-api-key", apiKey);
        }
        return builder;
    }
}
