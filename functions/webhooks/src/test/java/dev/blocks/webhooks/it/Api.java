package dev.blocks.webhooks.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.CloudClient;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The webhooks as a client sees them: the local cloud's gateway, the API-key admin command, and the queues. */
final class Api extends CloudClient {

    Api(LocalCloudExtension cloud) {
        super(cloud, Cloud.PREFIX);
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

    /** A webhook as a provider sends it to a source's receive id: raw bytes and the provider's headers. */
    HttpResponse<String> deliver(String sourceId, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cloud.gatewayUri("/v1/hooks/" + sourceId))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("content-type", "application/json");
        headers.forEach(request::header);
        return send(request);
    }

    /** Receives (and deletes) every message of {@code queue} until {@code done} holds or the deadline passes. */
    static List<JsonNode> drain(SqsClient sqs, String queue, Duration deadline, Predicate<List<JsonNode>> done) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        List<JsonNode> out = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message m : batch) {
                out.add(json(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            if (done.test(out)) {
                break;
            }
        }
        return out;
    }
}
