package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.kit.idempotency.RequestFingerprint;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.webhooks.domain.Ids;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Fan-out as an outbox, through the local cloud: the event and its messages are stored before anything is queued,
 * so a queue that is down loses nothing. A retry with the same idempotency key sends what is still unsent under
 * the SAME event and message ids; without a retry, webhooks-sweeper sends it. Idempotency keys remember their
 * request: another body is a 422, a retry while the first is in flight a 409, and a claim left by a publisher
 * that died is taken over (same event id) once its lease ran out.
 */
class OutboxIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Pattern EVENT_ID = Pattern.compile("evt_[A-Za-z0-9_-]+");

    private static Api api;
    private static Receiver receiver;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void setUp() throws Exception {
        api = new Api(CLOUD);
        receiver = Receiver.start(0);
        dynamo = api.dynamo();
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
        dynamo.close();
    }

    private record Owner(String name, String key) {}

    private static Owner owner() {
        String name = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
        return new Owner(name, api.issueKey(name));
    }

    private static String endpoint(Owner owner, String path) {
        return api.expect(201, "POST", "/v1/endpoints", owner.key(),
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"*\"]}").path("id").asText();
    }

    private static JsonNode messageWhen(Owner owner, String messageId, String status) {
        JsonNode message = Api.pollUntil(DEADLINE, () -> api.expect(200, "GET", "/v1/messages/" + messageId, owner.key(), null),
                m -> m.path("status").asText().equals(status));
        assertThat(message.path("status").asText()).as(message.toString()).isEqualTo(status);
        return message;
    }

    private static HttpResponse<String> publishWhileTheQueueIsDown(Owner owner, String body) {
        CLOUD.stopService("sqs");
        try {
            return api.call("POST", "/v1/events", owner.key(), body);
        } finally {
            CLOUD.startService("sqs");
        }
    }

    @Test
    void aSendThatFailedIsSentByTheRetryUnderTheSameEventAndMessageIds() {
        Owner owner = owner();
        String path = "/outbox-retry-" + UUID.randomUUID();
        String endpointId = endpoint(owner, path);
        String body = "{\"type\":\"order.paid\",\"payload\":{\"order\":1},\"idempotencyKey\":\"pay-1\"}";

        HttpResponse<String> failed = publishWhileTheQueueIsDown(owner, body);
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
        assertThat(failed.headers().firstValue("retry-after")).isPresent();
        Matcher stored = EVENT_ID.matcher(failed.body());
        assertThat(stored.find()).as(failed.body()).isTrue();
        String eventId = stored.group();
        String messageId = Ids.message(eventId, endpointId);
        // Stored, not queued: the message is there, PENDING, and nothing reached the receiver.
        JsonNode pending = api.expect(200, "GET", "/v1/messages/" + messageId, owner.key(), null);
        assertThat(pending.path("status").asText()).isEqualTo("PENDING");
        assertThat(pending.path("attempts").asInt()).isZero();

        JsonNode retried = api.expect(202, "POST", "/v1/events", owner.key(), body);
        assertThat(retried.path("id").asText()).isEqualTo(eventId);
        assertThat(retried.path("messages")).hasSize(1);
        assertThat(retried.path("messages").get(0).path("id").asText()).isEqualTo(messageId);

        messageWhen(owner, messageId, "DELIVERED");
        assertThat(receiver.requests(path)).extracting(r -> r.header("webhook-id")).containsExactly(messageId);
        JsonNode again = api.expect(200, "POST", "/v1/events", owner.key(), body);
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("id").asText()).isEqualTo(eventId);
        assertThat(receiver.requests(path)).hasSize(1);
    }

    @Test
    void messagesStoredButNeverQueuedAreSentByTheSweeper() {
        Owner owner = owner();
        String path = "/outbox-sweep-" + UUID.randomUUID();
        String endpointId = endpoint(owner, path);

        HttpResponse<String> accepted = publishWhileTheQueueIsDown(owner, "{\"type\":\"report.ready\",\"payload\":{\"r\":2}}");
        // Without an idempotency key the event is accepted: it is stored, and the sweeper queues what is left.
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode event = Api.json(accepted);
        String messageId = event.path("messages").get(0).path("id").asText();
        assertThat(messageId).isEqualTo(Ids.message(event.path("id").asText(), endpointId));

        JsonNode delivered = Api.pollUntil(DEADLINE, () -> {
            CLOUD.fireSchedule(Cloud.PREFIX + "-webhooks-sweep");
            return api.expect(200, "GET", "/v1/messages/" + messageId, owner.key(), null);
        }, m -> m.path("status").asText().equals("DELIVERED"));
        assertThat(delivered.path("status").asText()).as(delivered.toString()).isEqualTo("DELIVERED");
        // Later sweeps find nothing left to send: still one delivery.
        CLOUD.fireSchedule(Cloud.PREFIX + "-webhooks-sweep");
        assertThat(receiver.requests(path)).extracting(r -> r.header("webhook-id")).containsExactly(messageId);
        assertThat(delivered.path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsA422AndChangesNothing() {
        Owner owner = owner();
        String path = "/outbox-422-" + UUID.randomUUID();
        endpoint(owner, path);
        JsonNode first = api.expect(202, "POST", "/v1/events", owner.key(),
                "{\"type\":\"a.b\",\"payload\":{\"n\":1},\"idempotencyKey\":\"k-422\"}");

        HttpResponse<String> other = api.call("POST", "/v1/events", owner.key(),
                "{\"type\":\"a.b\",\"payload\":{\"n\":2},\"idempotencyKey\":\"k-422\"}");
        Api.problem(other, 422);
        assertThat(Api.json(other).path("type").asText()).endsWith("/idempotency-key-reused");
        // The same request with its members in another order is the same request.
        JsonNode same = api.expect(200, "POST", "/v1/events", owner.key(),
                "{\"payload\":{\"n\":1},\"idempotencyKey\":\"k-422\",\"type\":\"a.b\"}");
        assertThat(same.path("id").asText()).isEqualTo(first.path("id").asText());
        messageWhen(owner, first.path("messages").get(0).path("id").asText(), "DELIVERED");
        assertThat(receiver.requests(path)).hasSize(1);
    }

    @Test
    void aRetryWhileInFlightIsA409AndAClaimLeftByADeadPublisherIsTakenOverWithItsEventId() {
        Owner owner = owner();
        String path = "/outbox-crash-" + UUID.randomUUID();
        String endpointId = endpoint(owner, path);
        String body = "{\"type\":\"crash.test\",\"payload\":{\"c\":1},\"idempotencyKey\":\"crash-1\"}";
        String eventId = "evt_leftbyadeadpublisher";
        // What a publisher that died right after its claim leaves: the key IN_FLIGHT, holding the event id.
        claimLeftInFlight(owner, "crash-1", body, eventId, Instant.now().plusSeconds(300));

        HttpResponse<String> concurrent = api.call("POST", "/v1/events", owner.key(), body);
        assertThat(concurrent.statusCode()).as(concurrent.body()).isEqualTo(409);
        assertThat(concurrent.headers().firstValue("retry-after")).isPresent();
        assertThat(receiver.requests(path)).isEmpty();

        // Its lease ran out: the retry takes over and publishes the SAME event.
        claimLeftInFlight(owner, "crash-1", body, eventId, Instant.now().minusSeconds(1));
        JsonNode taken = api.expect(202, "POST", "/v1/events", owner.key(), body);
        assertThat(taken.path("id").asText()).isEqualTo(eventId);
        String messageId = Ids.message(eventId, endpointId);
        assertThat(taken.path("messages").get(0).path("id").asText()).isEqualTo(messageId);
        messageWhen(owner, messageId, "DELIVERED");
        assertThat(api.expect(200, "POST", "/v1/events", owner.key(), body).path("duplicate").asBoolean()).isTrue();
        assertThat(receiver.requests(path)).extracting(r -> r.header("webhook-id")).containsExactly(messageId);
    }

    private static void claimLeftInFlight(Owner owner, String key, String body, String eventId, Instant leaseUntil) {
        ObjectNode request;
        try {
            request = (ObjectNode) Api.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        request.remove("idempotencyKey");
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS("events/" + owner.name() + "#" + key));
        item.put("value", AttributeValue.fromS(eventId));
        item.put("fingerprint", AttributeValue.fromS(RequestFingerprint.of("POST /v1/events", request)));
        item.put("state", AttributeValue.fromS("IN_FLIGHT"));
        item.put("leaseUntil", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli())));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(Instant.now().plusSeconds(3600).getEpochSecond())));
        dynamo.putItem(b -> b.tableName(Cloud.PREFIX + "-webhooks-dedupe").item(item));
    }
}
