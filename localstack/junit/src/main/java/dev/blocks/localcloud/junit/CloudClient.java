package dev.blocks.localcloud.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A capability's stack as its integration tests reach it in a local cloud: requests through the HTTP gateway as a
 * client sends them (the API key in {@code x-api-key}, redirects never followed), API keys from the kit's
 * {@code <prefix>-api-keys} admin function as an operator makes them, AWS SDK clients on the cloud's endpoints,
 * JSON and polling. Each module's {@code it.Api} extends it with the calls of its own API.
 */
public class CloudClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** Plain java.net.http, as a client without an AWS SDK has it; redirects are answers under test, never followed. */
    public static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Long enough for a cold function on a loaded machine behind the gateway. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    protected final LocalCloudExtension cloud;
    private final String prefix;

    /** {@code prefix}: the stack's name prefix, which names its api-keys function. */
    protected CloudClient(LocalCloudExtension cloud, String prefix) {
        this.cloud = cloud;
        this.prefix = prefix;
    }

    /**
     * A new API key of {@code owner}. A cold admin function on a loaded machine may time out on its very first
     * call; creating a key is safe to repeat, so it is tried up to three times.
     */
    public String issueKey(String owner) {
        ObjectNode command = JSON.createObjectNode().put("action", "create").put("owner", owner);
        try (LambdaClient lambda = lambda()) {
            String last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                InvokeResponse response = lambda.invoke(b -> b.functionName(prefix + "-api-keys")
                        .payload(SdkBytes.fromUtf8String(command.toString())));
                if (response.functionError() == null) {
                    return json(response.payload().asUtf8String()).path("apiKey").asText();
                }
                last = response.payload().asUtf8String();
            }
            throw new IllegalStateException("api-keys failed: " + last);
        }
    }

    /** A key of a new owner of its own, named {@code <name>-<8 random characters>}: tests never share data. */
    public String newOwnerKey(String name) {
        return issueKey(unique(name));
    }

    /** {@code method} on the gateway's {@code path}, with the key (if any) and a JSON body (if any). */
    public HttpResponse<String> call(String method, String path, String apiKey, String json) {
        HttpRequest.Builder request = request(apiKey, path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("content-type", "application/json");
        }
        return send(request);
    }

    public HttpResponse<String> get(String apiKey, String path) {
        return call("GET", path, apiKey, null);
    }

    public HttpResponse<String> post(String apiKey, String path, String json) {
        return call("POST", path, apiKey, json);
    }

    public HttpResponse<String> put(String apiKey, String path, String json) {
        return call("PUT", path, apiKey, json);
    }

    public HttpResponse<String> delete(String apiKey, String path) {
        return call("DELETE", path, apiKey, null);
    }

    /** Calls and insists on {@code status}; returns the JSON body. */
    public JsonNode expect(int status, String method, String path, String apiKey, String json) {
        HttpResponse<String> response = call(method, path, apiKey, json);
        if (response.statusCode() != status) {
            throw new AssertionError(method + " " + path + ": expected " + status + ", got " + response.statusCode()
                    + ": " + response.body());
        }
        return json(response);
    }

    /** A request to the gateway's {@code path}, with {@code x-api-key} unless {@code apiKey} is null. */
    protected HttpRequest.Builder request(String apiKey, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.gatewayUri(path));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return request;
    }

    public LambdaClient lambda() {
        Endpoints endpoints = cloud.endpoints();
        return LambdaClient.builder().endpointOverride(URI.create(endpoints.lambda())).region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(endpoints)).build();
    }

    public DynamoDbClient dynamo() {
        Endpoints endpoints = cloud.endpoints();
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoints.dynamodb())).region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(endpoints)).build();
    }

    public SqsClient sqs() {
        Endpoints endpoints = cloud.endpoints();
        return SqsClient.builder().endpointOverride(URI.create(endpoints.sqs())).region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(endpoints)).build();
    }

    /** The cloud's own keys: what its emulators (or LocalStack) accept. */
    public static StaticCredentialsProvider credentials(Endpoints endpoints) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey()));
    }

    /** Sends with {@link #CALL_TIMEOUT}; an I/O failure is the test's failure. */
    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body as JSON; an empty body is JSON null. */
    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static JsonNode json(String text) {
        if (text == null || text.isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /**
     * Checks that {@code response} is a problem (RFC 9457) of {@code status}: that status code, content type
     * {@code application/problem+json}, and the same {@code status} in the body. Returns the body.
     */
    public static JsonNode problem(HttpResponse<String> response, int status) {
        String type = response.headers().firstValue("content-type").orElse("(none)");
        JsonNode body = response.statusCode() == status && type.equals("application/problem+json") ? json(response) : null;
        if (body == null || body.path("status").asInt() != status) {
            throw new AssertionError("expected a problem of status " + status + " (application/problem+json), got "
                    + response.statusCode() + " " + type + ": " + response.body());
        }
        return body;
    }

    /** The fields the problem's {@code errors} name, in order. */
    public static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }

    /** {@code name-} and 8 random characters. */
    public static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Asks {@code probe} every 100 ms until {@code done} holds or {@code within} has passed; returns the last value. */
    public static <T> T pollUntil(Duration within, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + within.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() - end < 0) {
            Pace.sleep(Duration.ofMillis(100));
            if (Thread.currentThread().isInterrupted()) {
                return value;
            }
            value = probe.get();
        }
        return value;
    }
}
