package dev.blocks.webhooks.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.localcloud.junit.Endpoints;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.sqs.model.Message;

/** The webhooks as a client sees them: the local cloud's gateway, the API-key admin command, and the queues. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalCloudExtension cloud;

    Api(LocalCloudExtension cloud) {
        this.cloud = cloud;
    }

    /** A key of a new owner of its own, named {@code <prefix>-<8 random characters>}: tests never share data. */
    String newOwnerKey(String prefix) {
        return issueKey(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * Publishes one event of {@code type} to the owner's single endpoint, expects 202, and returns its message id:
     * the {@code webhook-id} its deliveries go under.
     */
    String publishOne(String key, String type, int n) {
        HttpResponse<String> response = call("POST", "/v1/events", key,
                "{\"type\":\"" + type + "\",\"payload\":{\"n\":" + n + "}}");
        if (response.statusCode() != 202) {
            throw new AssertionError("publishing " + type + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response).path("messages").get(0).path("id").asText();
    }

    /** A new API key for {@code owner}, issued by the kit's admin function through the Invoke API. */
    String issueKey(String owner) {
        Endpoints endpoints = cloud.endpoints();
        try (LambdaClient lambda = LambdaClient.builder()
                .endpointOverride(URI.create(endpoints.lambda()))
                .region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials(endpoints))
                .build()) {
            InvokeResponse response = lambda.invoke(b -> b.functionName(Cloud.PREFIX + "-api-keys")
                    .payload(SdkBytes.fromUtf8String("{\"action\":\"create\",\"owner\":\"" + owner + "\"}")));
            if (response.functionError() != null) {
                throw new IllegalStateException("api-keys failed: " + response.payload().asUtf8String());
            }
            return JSON.readTree(response.payload().asUtf8String()).path("apiKey").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> call(String method, String path, String apiKey, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.gatewayUri(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("content-type", "application/json");
        }
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return send(request);
    }

    /** Calls and insists on {@code status}; returns the JSON body. */
    JsonNode expect(int status, String method, String path, String apiKey, String json) {
        HttpResponse<String> response = call(method, path, apiKey, json);
        if (response.statusCode() != status) {
            throw new AssertionError(method + " " + path + ": expected " + status + ", got " + response.statusCode()
                    + ": " + response.body());
        }
        return json(response);
    }

    /** A webhook as a provider sends it to a source's receive id: raw bytes and the provider's headers. */
    HttpResponse<String> deliver(String sourceId, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.gatewayUri("/v1/hooks/" + sourceId))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("content-type", "application/json");
        headers.forEach(request::header);
        return send(request);
    }

    SqsClient sqs() {
        Endpoints endpoints = cloud.endpoints();
        return SqsClient.builder().endpointOverride(URI.create(endpoints.sqs())).region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(endpoints)).build();
    }

    DynamoDbClient dynamo() {
        Endpoints endpoints = cloud.endpoints();
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoints.dynamodb())).region(Region.of(endpoints.region()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(endpoints)).build();
    }

    /** Receives (and deletes) every message of {@code queue} until {@code done} holds or the deadline passes. */
    static List<JsonNode> drain(SqsClient sqs, String queue, Duration deadline, Predicate<List<JsonNode>> done) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        List<JsonNode> out = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : batch) {
                try {
                    out.add(JSON.readTree(m.body()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            if (done.test(out)) {
                break;
            }
        }
        return out;
    }

    static JsonNode json(HttpResponse<String> response) {
        if (response.body() == null || response.body().isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Polls {@code probe} until {@code done} holds or the deadline passes; returns the last value either way. */
    static <T> T pollUntil(Duration deadline, Supplier<T> probe, Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() - end < 0) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
            value = probe.get();
        }
        return value;
    }

    private static StaticCredentialsProvider credentials(Endpoints endpoints) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
