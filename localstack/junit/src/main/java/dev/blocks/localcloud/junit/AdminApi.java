package dev.blocks.localcloud.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The cloud server's control API: stop, start and kill services and functions, fire schedules, count requests. */
final class AdminApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // Starting a service again (a Kafka broker, say) can take several seconds on a small machine.
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;

    AdminApi(String base) {
        if (base == null) {
            throw new IllegalStateException("This cloud has no admin endpoint");
        }
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
    }

    /** POSTs to {@code path} (relative to the admin endpoint) and returns the body; fails unless the answer is 2xx. */
    String post(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    String get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    /** {@code GET /requests/dynamodb}: table → operation → count. */
    JsonNode dynamoDbRequests() {
        return json(get("requests/dynamodb"));
    }

    /** {@code GET /functions}: each function with its instances and their process ids. */
    JsonNode functions() {
        return json(get("functions"));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the cloud's admin API answered something that is not JSON: " + body, e);
        }
    }

    private URI resolve(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private static String send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(CALL_TIMEOUT).build();
        try {
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(built.method() + " " + built.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + built.method() + " " + built.uri(), e);
        }
    }
}
