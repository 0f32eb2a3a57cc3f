package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.SecretSet;
import dev.blocks.webhooks.domain.Signatures;
import dev.blocks.webhooks.domain.Verification;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Outbound delivery through the local cloud to receivers in this JVM: signing, the retry schedule (shortened by
 * this stack to 0 s, 1 s, 3 s, 6 s), 410, the dead-letter queue and recovery. Each test has an owner of its own, so
 * its events reach only its endpoints.
 */
class DeliveryIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Signatures STANDARD = Scheme.STANDARD.signatures(null);

    private static Api api;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() throws Exception {
        api = new Api(CLOUD);
        receiver = Receiver.start(0);
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
    }

    private static String owner() {
        return api.newOwnerKey("owner");
    }

    private static JsonNode endpoint(String key, String url, String events) {
        return api.expect(201, "POST", "/v1/endpoints", key, "{\"url\":\"" + url + "\",\"events\":" + events + "}");
    }

    private static JsonNode publish(String key, String type, String payload) {
        return api.expect(202, "POST", "/v1/events", key, "{\"type\":\"" + type + "\",\"payload\":" + payload + "}");
    }

    private static JsonNode messageWhen(String key, String messageId, String status) {
        JsonNode message = Api.pollUntil(DEADLINE, () -> api.expect(200, "GET", "/v1/messages/" + messageId, key, null),
                m -> m.path("status").asText().equals(status));
        assertThat(message.path("status").asText()).as(message.toString()).isEqualTo(status);
        return message;
    }

    private static List<JsonNode> attempts(String key, String messageId) {
        JsonNode attempts = api.expect(200, "GET", "/v1/messages/" + messageId + "/attempts", key, null).path("attempts");
        return java.util.stream.StreamSupport.stream(attempts.spliterator(), false).toList();
    }

    private static Map<String, String> signatureHeaders(Receiver.Request request) {
        return Map.of("webhook-id", request.header("webhook-id"), "webhook-timestamp", request.header("webhook-timestamp"),
                "webhook-signature", request.header("webhook-signature"));
    }

    @Test
    void aDeliveryVerifiesWithTheInboundVerifierAndTheReferenceLibrary() throws Exception {
        String key = owner();
        String path = "/verify-" + UUID.randomUUID();
        JsonNode endpoint = endpoint(key, receiver.url(path), "[\"order.created\"]");
        String secret = endpoint.path("secret").asText();
        assertThat(secret).startsWith("whsec_");

        JsonNode event = publish(key, "order.created", "{\"order\":42,\"note\":\"caf\\u00e9\"}");
        String messageId = event.path("messages").get(0).path("id").asText();

        List<Receiver.Request> got = Api.pollUntil(DEADLINE, () -> receiver.requests(path), l -> !l.isEmpty());
        assertThat(got).hasSize(1);
        Receiver.Request request = got.get(0);
        assertThat(request.header("webhook-id")).isEqualTo(messageId);
        assertThat(request.header("content-type")).startsWith("application/json");
        Verification verified = STANDARD.verify(signatureHeaders(request), request.body(),
                SecretSet.of(secret).keys(STANDARD), Instant.now(), Duration.ofMinutes(5));
        assertThat(verified.valid()).isTrue();
        assertThat(verified.eventId()).isEqualTo(messageId);
        new Webhook(secret).verify(request.bodyText(), Map.of("webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))));
        JsonNode body = Api.JSON.readTree(request.body());
        assertThat(body.path("type").asText()).isEqualTo("order.created");
        assertThat(body.path("data").path("order").asInt()).isEqualTo(42);
        assertThat(body.path("data").path("note").asText()).isEqualTo("café");
        assertThat(messageWhen(key, messageId, "DELIVERED").path("attempts").asInt()).isEqualTo(1);
        // An event type the endpoint did not subscribe to makes no message.
        assertThat(publish(key, "order.cancelled", "{}").path("messages")).isEmpty();
    }

    @Test
    void fiveHundredThreeTimesThenTwoHundredIsFourAttemptsWithGrowingGapsAndOneDelivery() {
        String key = owner();
        String path = "/flaky-" + UUID.randomUUID();
        receiver.script(path, 500, 500, 500, 200);
        endpoint(key, receiver.url(path), "[\"*\"]");

        String messageId = publish(key, "invoice.paid", "{\"invoice\":7}").path("messages").get(0).path("id").asText();

        messageWhen(key, messageId, "DELIVERED");
        List<Receiver.Request> got = receiver.requests(path);
        assertThat(got).extracting(Receiver.Request::answered).containsExactly(500, 500, 500, 200);
        assertThat(got).extracting(r -> r.header("webhook-id")).containsOnly(messageId);
        Duration first = Duration.between(got.get(0).at(), got.get(1).at());
        Duration second = Duration.between(got.get(1).at(), got.get(2).at());
        Duration third = Duration.between(got.get(2).at(), got.get(3).at());
        assertThat(second).as("gaps %s %s %s", first, second, third).isGreaterThan(first);
        assertThat(third).as("gaps %s %s %s", first, second, third).isGreaterThan(second);
        assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(800));

        List<JsonNode> attempts = attempts(key, messageId);
        assertThat(attempts).extracting(a -> a.path("status").asInt()).containsExactly(500, 500, 500, 200);
        assertThat(attempts).extracting(a -> a.path("number").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(attempts.get(0).path("response").asText()).isEqualTo("answered 500");
        assertThat(attempts).allSatisfy(a -> assertThat(a.path("latencyMillis").isIntegralNumber()).isTrue());
    }

    @Test
    void goneDisablesTheEndpoint() {
        String key = owner();
        String path = "/gone-" + UUID.randomUUID();
        receiver.script(path, 410);
        String endpointId = endpoint(key, receiver.url(path), "[\"*\"]").path("id").asText();

        String messageId = publish(key, "user.deleted", "{}").path("messages").get(0).path("id").asText();

        JsonNode message = messageWhen(key, messageId, "FAILED");
        assertThat(message.path("attempts").asInt()).isEqualTo(1);
        JsonNode endpoint = api.expect(200, "GET", "/v1/endpoints/" + endpointId, key, null);
        assertThat(endpoint.path("disabled").asBoolean()).isTrue();
        assertThat(endpoint.path("disabledReason").asText()).contains("410");
        assertThat(publish(key, "user.deleted", "{}").path("messages")).isEmpty();
        assertThat(receiver.requests(path)).hasSize(1);
    }

    @Test
    void aReceiverDownForTheWholeScheduleEndsInTheDeadLetterQueueAndRecoverDeliversIt() throws Exception {
        String key = owner();
        Instant start = Instant.now();
        int port;
        try (ServerSocket reserve = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = reserve.getLocalPort();
        }
        String url = "http://" + Cloud.RECEIVER_HOST + ":" + port + "/down";
        String endpointId = endpoint(key, url, "[\"*\"]").path("id").asText();

        String messageId = publish(key, "report.ready", "{\"report\":1}").path("messages").get(0).path("id").asText();

        JsonNode failed = messageWhen(key, messageId, "FAILED");
        assertThat(failed.path("attempts").asInt()).isEqualTo(4);
        assertThat(attempts(key, messageId)).allSatisfy(a -> {
            assertThat(a.path("status").asInt()).isZero();
            assertThat(a.path("error").asText()).isNotBlank();
        });
        try (SqsClient sqs = api.sqs()) {
            List<JsonNode> dead = Api.drain(sqs, Cloud.DEAD_LETTER_QUEUE, DEADLINE,
                    l -> l.stream().anyMatch(m -> m.path("messageId").asText().equals(messageId)));
            assertThat(dead).anySatisfy(m -> {
                assertThat(m.path("messageId").asText()).isEqualTo(messageId);
                assertThat(m.path("endpointId").asText()).isEqualTo(endpointId);
            });
        }

        try (Receiver back = Receiver.start(port)) {
            JsonNode recovered = api.expect(202, "POST", "/v1/endpoints/" + endpointId + "/recover", key,
                    "{\"since\":\"" + start.minusSeconds(60) + "\"}");
            assertThat(recovered.path("recovered").asInt()).isEqualTo(1);

            messageWhen(key, messageId, "DELIVERED");
            // Normally one request; on a host too busy to answer within the timeout, the retry is a second one.
            List<Receiver.Request> got = back.requests("/down");
            assertThat(got).isNotEmpty().extracting(r -> r.header("webhook-id")).containsOnly(messageId);
            List<JsonNode> attempts = attempts(key, messageId);
            List<JsonNode> second = attempts.stream().filter(a -> a.path("round").asInt() == 2).toList();
            assertThat(attempts).hasSize(4 + second.size());
            // The breaker that the first round opened may still be open for the first attempt of the second: that
            // attempt is then recorded without a call ("not sent"), and the next one goes out after the probe.
            assertThat(second.stream().filter(a -> !a.path("error").asText().startsWith("not sent")).toList())
                    .hasSize(got.size());
            assertThat(second.get(second.size() - 1).path("status").asInt()).isEqualTo(200);
            // Nothing is left to recover.
            assertThat(api.expect(202, "POST", "/v1/endpoints/" + endpointId + "/recover", key,
                    "{\"since\":\"" + start.minusSeconds(60) + "\"}").path("recovered").asInt()).isZero();
        }
    }

    /**
     * A message whose endpoint is disabled while it waits for its next attempt (as the 5-day rule, a 410 or the
     * owner disables it) ends FAILED without a call AND gets its dead-letter record, like one whose schedule ran out.
     */
    @Test
    void aMessageOfAnEndpointDisabledMeanwhileEndsFailedWithADeadLetterRecord() {
        String key = owner();
        String path = "/disabled-" + UUID.randomUUID();
        receiver.script(path, 500, 500, 500, 500);
        String endpointId = endpoint(key, receiver.url(path), "[\"*\"]").path("id").asText();

        String messageId = publish(key, "account.closed", "{}").path("messages").get(0).path("id").asText();
        Api.pollUntil(DEADLINE, () -> receiver.requests(path), l -> !l.isEmpty());
        api.expect(200, "PATCH", "/v1/endpoints/" + endpointId, key, "{\"disabled\":true}");

        JsonNode failed = messageWhen(key, messageId, "FAILED");
        assertThat(failed.path("reason").asText()).contains("disabled");
        int calls = receiver.requests(path).size();
        assertThat(failed.path("attempts").asInt()).isEqualTo(calls).isLessThan(4);
        try (SqsClient sqs = api.sqs()) {
            List<JsonNode> dead = Api.drain(sqs, Cloud.DEAD_LETTER_QUEUE, DEADLINE,
                    l -> l.stream().anyMatch(m -> m.path("messageId").asText().equals(messageId)));
            assertThat(dead).anySatisfy(m -> {
                assertThat(m.path("messageId").asText()).isEqualTo(messageId);
                assertThat(m.path("endpointId").asText()).isEqualTo(endpointId);
                assertThat(m.path("reason").asText()).contains("disabled");
            });
        }
    }

    /**
     * An endpoint that fails everything opens its breaker (3 failures in this stack, open 5 s): the messages it then
     * defers count each deferral as an attempt of their schedule, so every one ends FAILED with a dead-letter record
     * after its schedule's four attempts, with fewer calls than attempts, instead of being deferred for ever.
     */
    @Test
    void messagesDeferredByAnOpenBreakerAdvanceTheirScheduleAndEndInTheDeadLetterQueue() {
        String key = owner();
        String path = "/breaker-" + UUID.randomUUID();
        receiver.script(path, 500);
        String endpointId = endpoint(key, receiver.url(path), "[\"*\"]").path("id").asText();
        List<String> messageIds = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messageIds.add(publish(key, "load.failing", "{\"i\":" + i + "}").path("messages").get(0).path("id").asText());
        }

        int notSent = 0;
        for (String messageId : messageIds) {
            JsonNode failed = messageWhen(key, messageId, "FAILED");
            assertThat(failed.path("attempts").asInt()).isEqualTo(4);
            notSent += (int) attempts(key, messageId).stream()
                    .filter(a -> a.path("error").asText().contains("circuit breaker")).count();
        }
        assertThat(notSent).as("attempts the open breaker kept back").isPositive();
        assertThat(receiver.requests(path)).hasSize(10 * 4 - notSent);
        try (SqsClient sqs = api.sqs()) {
            List<JsonNode> dead = Api.drain(sqs, Cloud.DEAD_LETTER_QUEUE, DEADLINE,
                    l -> l.stream().filter(m -> messageIds.contains(m.path("messageId").asText())).count() == messageIds.size());
            assertThat(dead).filteredOn(m -> m.path("endpointId").asText().equals(endpointId))
                    .extracting(m -> m.path("messageId").asText()).containsExactlyInAnyOrderElementsOf(messageIds);
        }
    }

    @Test
    void anIdempotencyKeyPublishesOnce() {
        String key = owner();
        String path = "/once-" + UUID.randomUUID();
        endpoint(key, receiver.url(path), "[\"*\"]");
        String body = "{\"type\":\"payment.settled\",\"payload\":{\"p\":1},\"idempotencyKey\":\"settle-1\"}";

        JsonNode first = api.expect(202, "POST", "/v1/events", key, body);
        JsonNode again = api.expect(200, "POST", "/v1/events", key, body);

        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("id").asText()).isEqualTo(first.path("id").asText());
        String messageId = first.path("messages").get(0).path("id").asText();
        messageWhen(key, messageId, "DELIVERED");
        assertThat(receiver.requests(path)).extracting(r -> r.header("webhook-id")).containsOnly(messageId);
    }

    @Test
    void endpointsBelongToTheirOwnerAndTheirSecretIsShownOnce() {
        String key = owner();
        String other = owner();
        JsonNode created = endpoint(key, receiver.url("/crud"), "[\"a.b\"]");
        String id = created.path("id").asText();

        JsonNode read = api.expect(200, "GET", "/v1/endpoints/" + id, key, null);
        assertThat(read.has("secret")).isFalse();
        assertThat(read.path("url").asText()).isEqualTo(receiver.url("/crud"));
        assertThat(api.expect(200, "GET", "/v1/endpoints", key, null).path("endpoints")).hasSize(1);
        assertThat(api.call("GET", "/v1/endpoints/" + id, other, null).statusCode()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/endpoints/" + id, null, null).statusCode()).isEqualTo(401);

        JsonNode patched = api.expect(200, "PATCH", "/v1/endpoints/" + id, key, "{\"events\":[\"a.*\"],\"description\":\"all a\"}");
        assertThat(patched.path("events").get(0).asText()).isEqualTo("a.*");
        assertThat(patched.path("description").asText()).isEqualTo("all a");
        assertThat(api.call("PATCH", "/v1/endpoints/" + id, key, "{\"events\":[\"*.b\"]}").statusCode()).isEqualTo(400);

        assertThat(api.call("DELETE", "/v1/endpoints/" + id, other, null).statusCode()).isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/endpoints/" + id, key, null).statusCode()).isEqualTo(204);
        assertThat(api.call("GET", "/v1/endpoints/" + id, key, null).statusCode()).isEqualTo(404);
    }

    /** After a rotation deliveries carry a signature for each secret, so a receiver on either one verifies. */
    @Test
    void aRotatedSecretSignsBesideThePreviousOne() {
        String key = owner();
        String path = "/rotate-" + UUID.randomUUID();
        JsonNode created = endpoint(key, receiver.url(path), "[\"*\"]");
        String oldSecret = created.path("secret").asText();
        String id = created.path("id").asText();

        String newSecret = api.expect(200, "PATCH", "/v1/endpoints/" + id, key, "{\"rotateSecret\":true}").path("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        publish(key, "x.y", "{}");

        Receiver.Request request = Api.pollUntil(DEADLINE, () -> receiver.requests(path), l -> !l.isEmpty()).get(0);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        for (String secret : List.of(oldSecret, newSecret)) {
            assertThat(STANDARD.verify(signatureHeaders(request), request.body(), SecretSet.of(secret).keys(STANDARD),
                    Instant.now(), Duration.ofMinutes(5)).valid()).isTrue();
        }
    }
}
