package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.webhooks.domain.HmacOptions;
import dev.blocks.webhooks.domain.Scheme;
import dev.blocks.webhooks.domain.SecretSet;
import dev.blocks.webhooks.domain.Signatures;
import dev.blocks.webhooks.domain.WebhookSecret;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * webhooks-in through the local cloud: providers' deliveries signed by the project's signers (and GitHub's
 * published example), verified by the function on the raw bytes, deduped, and published to the source's queue or
 * topic. "Nothing published" is shown by a valid sentinel event sent after the refused ones: it is read off the
 * queue, and nothing of the refused ones came before it.
 */
class InboundIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;
    private static String alice;
    private static SqsClient sqs;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
        alice = api.issueKey("alice-in");
        sqs = api.sqs();
    }

    @AfterAll
    static void tearDown() {
        sqs.close();
    }

    private static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A source as its owner names it and as senders reach it (its receive id). */
    private record Source(String name, String id) {}

    private static Source configure(String scheme, List<String> secrets, String extra) {
        String source = unique(scheme);
        StringBuilder json = new StringBuilder("{\"scheme\":\"" + scheme + "\",\"secrets\":[");
        for (int i = 0; i < secrets.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(secrets.get(i).replace("\"", "\\\"")).append('"');
        }
        json.append("],\"destination\":{\"type\":\"sqs\",\"name\":\"").append(Cloud.INBOUND_QUEUE).append("\"}")
                .append(extra == null ? "" : "," + extra).append('}');
        JsonNode created = api.expect(201, "PUT", "/v1/hooks/sources/" + source, alice, json.toString());
        assertThat(created.path("receivePath").asText()).isEqualTo("/v1/hooks/" + created.path("id").asText());
        return new Source(source, created.path("id").asText());
    }

    private static Map<String, String> sign(Scheme scheme, HmacOptions hmac, String id, Instant at, byte[] body, String... secrets) {
        Signatures signatures = scheme.signatures(hmac);
        return signatures.sign(id, at, body, SecretSet.of(secrets).keys(signatures));
    }

    private static byte[] body(String id) {
        return ("{\"id\":\"" + id + "\",\"type\":\"thing.happened\",\"data\":{\"n\":1}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes a valid sentinel, then reads the queue up to it: everything published before it, in order. */
    private static List<JsonNode> publishedUpToSentinel(Source source, String secret) {
        String sentinel = unique("sentinel");
        byte[] body = body(sentinel);
        assertThat(api.deliver(source.id(), body, sign(Scheme.STANDARD, null, sentinel, Instant.now(), body, secret)).statusCode())
                .isEqualTo(202);
        List<JsonNode> read = Api.drain(sqs, Cloud.INBOUND_QUEUE, Duration.ofSeconds(30),
                list -> list.stream().anyMatch(m -> m.path("id").asText().equals(sentinel)));
        // Whatever was published before the sentinel is visible by now; a last short read picks up stragglers.
        read.addAll(Api.drain(sqs, Cloud.INBOUND_QUEUE, Duration.ofSeconds(1), list -> false));
        return read;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(List<JsonNode> published, String id) {
        return published.stream().filter(m -> m.path("id").asText().equals(id)).count();
    }

    @Test
    void aSignedStandardWebhookIsPublishedOnceAndItsDuplicateIsNot() {
        String secret = WebhookSecret.generate();
        Source source = configure("standard", List.of(secret), null);
        String id = unique("msg");
        byte[] body = body(id);
        Map<String, String> headers = sign(Scheme.STANDARD, null, id, Instant.now(), body, secret);

        HttpResponse<String> first = api.deliver(source.id(), body, headers);
        HttpResponse<String> again = api.deliver(source.id(), body, headers);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(Api.json(first).path("id").asText()).isEqualTo(id);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Api.json(again).path("status").asText()).isEqualTo("duplicate");
        List<JsonNode> published = publishedUpToSentinel(source, secret);
        assertThat(count(published, id)).isEqualTo(1);
        JsonNode event = published.stream().filter(m -> m.path("id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(event.path("source").asText()).isEqualTo(source.name());
        assertThat(event.path("owner").asText()).isEqualTo("alice-in");
        assertThat(event.path("body").asText()).isEqualTo(new String(body, StandardCharsets.UTF_8));
    }

    /**
     * The crash path of the dedupe claim: a receiver that died between claim and publish leaves the event's key
     * IN_FLIGHT. While its lease runs, the sender's retry gets a retryable 503 and nothing is published; once it
     * has run out, the retry is processed again (published once), and the claim is then DONE: a duplicate.
     */
    @Test
    void aClaimLeftInFlightByACrashIsA503UntilItsLeaseEndsThenTheRetryIsPublished() {
        String secret = WebhookSecret.generate();
        Source source = configure("standard", List.of(secret), null);
        String id = unique("crashed");
        byte[] body = body(id);
        Map<String, String> headers = sign(Scheme.STANDARD, null, id, Instant.now(), body, secret);
        String record = "in/alice-in/" + source.name() + "#" + id;

        try (var dynamo = api.dynamo()) {
            leftInFlight(dynamo, record, Instant.now().plusSeconds(300));
            HttpResponse<String> during = api.deliver(source.id(), body, headers);
            assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
            assertThat(during.headers().firstValue("retry-after")).isPresent();
            assertThat(count(publishedUpToSentinel(source, secret), id)).isZero();

            leftInFlight(dynamo, record, Instant.now().minusSeconds(1));
            HttpResponse<String> after = api.deliver(source.id(), body, headers);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(202);
            HttpResponse<String> again = api.deliver(source.id(), body, headers);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(Api.json(again).path("status").asText()).isEqualTo("duplicate");
            assertThat(count(publishedUpToSentinel(source, secret), id)).isEqualTo(1);
            assertThat(dynamo.getItem(b -> b.tableName(Cloud.PREFIX + "-webhooks-dedupe").consistentRead(true)
                    .key(Map.of("id", AttributeValue.fromS(record))))
                    .item().get("state").s()).isEqualTo("DONE");
        }
    }

    private static void leftInFlight(DynamoDbClient dynamo, String record,
                                     Instant leaseUntil) {
        dynamo.putItem(b -> b.tableName(Cloud.PREFIX + "-webhooks-dedupe").item(Map.of(
                "id", AttributeValue.fromS(record),
                "value", AttributeValue.fromS(Instant.now().toString()),
                "state", AttributeValue.fromS("IN_FLIGHT"),
                "leaseUntil", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli())),
                "expiresAt", AttributeValue.fromN(
                        Long.toString(Instant.now().plusSeconds(3600).getEpochSecond())))));
    }

    @Test
    void badSignaturesStaleTimestampsAndWrongSecretsAre401WithNothingPublished() {
        String secret = WebhookSecret.generate();
        Source source = configure("standard", List.of(secret), null);
        List<String> refused = new ArrayList<>();

        String tamperedId = unique("tampered");
        byte[] body = body(tamperedId);
        Map<String, String> headers = sign(Scheme.STANDARD, null, tamperedId, Instant.now(), body, secret);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"n\":1", "\"n\":2").getBytes(StandardCharsets.UTF_8);
        assertThat(api.deliver(source.id(), tampered, headers).statusCode()).isEqualTo(401);
        refused.add(tamperedId);

        String staleId = unique("stale");
        byte[] staleBody = body(staleId);
        HttpResponse<String> stale = api.deliver(source.id(), staleBody,
                sign(Scheme.STANDARD, null, staleId, Instant.now().minus(Duration.ofMinutes(6)), staleBody, secret));
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(Api.json(stale).path("detail").asText()).contains("tolerance");
        refused.add(staleId);

        String wrongId = unique("wrong");
        byte[] wrongBody = body(wrongId);
        assertThat(api.deliver(source.id(), wrongBody, sign(Scheme.STANDARD, null, wrongId, Instant.now(), wrongBody,
                WebhookSecret.generate())).statusCode()).isEqualTo(401);
        refused.add(wrongId);

        String unsignedId = unique("unsigned");
        assertThat(api.deliver(source.id(), body(unsignedId), Map.of("webhook-id", unsignedId)).statusCode()).isEqualTo(401);
        refused.add(unsignedId);

        List<JsonNode> published = publishedUpToSentinel(source, secret);
        for (String id : refused) {
            assertThat(count(published, id)).as(id).isZero();
        }
    }

    @Test
    void duringARotationBothSecretsVerify() {
        String oldSecret = WebhookSecret.generate();
        String newSecret = WebhookSecret.generate();
        Source source = configure("standard", List.of(oldSecret), null);
        api.expect(200, "PUT", "/v1/hooks/sources/" + source.name(), alice, "{\"scheme\":\"standard\",\"secrets\":[\""
                + newSecret + "\",\"" + oldSecret + "\"],\"destination\":{\"type\":\"sqs\",\"name\":\"" + Cloud.INBOUND_QUEUE + "\"}}");
        String byOld = unique("old");
        String byNew = unique("new");

        // The configuration is cached per instance for 2 s in this stack: an instance may still hold the old one.
        assertThat(Api.pollUntil(Duration.ofSeconds(10), () -> api.deliver(source.id(), body(byNew),
                sign(Scheme.STANDARD, null, byNew, Instant.now(), body(byNew), newSecret)).statusCode(), s -> s == 202)).isEqualTo(202);
        assertThat(api.deliver(source.id(), body(byOld), sign(Scheme.STANDARD, null, byOld, Instant.now(), body(byOld), oldSecret))
                .statusCode()).isEqualTo(202);

        List<JsonNode> published = publishedUpToSentinel(source, newSecret);
        assertThat(count(published, byOld)).isEqualTo(1);
        assertThat(count(published, byNew)).isEqualTo(1);
    }

    /** GitHub's published example, sent as GitHub would, is accepted. */
    @Test
    void githubsPublishedExampleIsAccepted() {
        Source source = configure("github", List.of("It's a Secret to Everybody"), null);
        String delivery = UUID.randomUUID().toString();

        HttpResponse<String> response = api.deliver(source.id(), "Hello, World!".getBytes(StandardCharsets.UTF_8), Map.of(
                "X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                "X-GitHub-Delivery", delivery, "X-GitHub-Event", "ping"));

        assertThat(response.statusCode()).isEqualTo(202);
        // Keyed on what GitHub signs, the body, never on the unsigned delivery id.
        assertThat(Api.json(response).path("id").asText()).isEqualTo(sha256("Hello, World!".getBytes(StandardCharsets.UTF_8)));
        assertThat(api.deliver(source.id(), "Hello, World?".getBytes(StandardCharsets.UTF_8), Map.of(
                "X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                "X-GitHub-Delivery", UUID.randomUUID().toString())).statusCode()).isEqualTo(401);
    }

    @Test
    void stripeEventsAreDedupedByTheIdInTheirBody() {
        String secret = "whsec_" + UUID.randomUUID().toString().replace("-", "");
        Source source = configure("stripe", List.of(secret), "\"toleranceSeconds\":120");
        String id = unique("evt");
        byte[] body = body(id);

        assertThat(api.deliver(source.id(), body, sign(Scheme.STRIPE, null, null, Instant.now(), body, secret)).statusCode()).isEqualTo(202);
        // Stripe retries with a fresh timestamp and signature: still the same event.
        HttpResponse<String> retry = api.deliver(source.id(), body, sign(Scheme.STRIPE, null, null, Instant.now(), body, secret));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(Api.json(retry).path("id").asText()).isEqualTo(id);
        assertThat(api.deliver(source.id(), body, sign(Scheme.STRIPE, null, null, Instant.now().minusSeconds(180), body, secret))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void hmacSourcesUseTheirOwnHeaderHashAndEncoding() {
        HmacOptions options = new HmacOptions("x-acme-signature", "sha512", "base64", "sha512=", "x-acme-delivery");
        Source source = configure("hmac", List.of("acme-shared-secret"), "\"hmac\":{\"header\":\"X-Acme-Signature\","
                + "\"algorithm\":\"SHA-512\",\"encoding\":\"base64\",\"prefix\":\"sha512=\",\"idHeader\":\"X-Acme-Delivery\"}");
        String id = unique("acme");
        byte[] body = body(id);

        HttpResponse<String> response = api.deliver(source.id(), body, sign(Scheme.HMAC, options, id, Instant.now(), body, "acme-shared-secret"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Api.json(response).path("id").asText()).isEqualTo(sha256(body));
        assertThat(api.deliver(source.id(), body, sign(Scheme.HMAC, options, id, Instant.now(), body, "not-the-secret")).statusCode()).isEqualTo(401);
    }

    @Test
    void aKafkaDestinationGetsTheEvent() {
        String secret = WebhookSecret.generate();
        String source = unique("kafka");
        String receiveId = api.expect(201, "PUT", "/v1/hooks/sources/" + source, alice, "{\"scheme\":\"standard\",\"secrets\":[\"" + secret
                + "\"],\"destination\":{\"type\":\"kafka\",\"name\":\"" + Cloud.INBOUND_TOPIC + "\"}}").path("id").asText();
        String id = unique("msg");
        byte[] body = body(id);

        assertThat(api.deliver(receiveId, body, sign(Scheme.STANDARD, null, id, Instant.now(), body, secret)).statusCode()).isEqualTo(202);

        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, CLOUD.endpoints().kafka());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, unique("it"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Cloud.INBOUND_TOPIC));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            Api.pollUntil(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen;
            }, list -> list.stream().anyMatch(r -> id.equals(r.key())));
            assertThat(seen).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(id);
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"source\":\"" + source + "\"")
                        .contains("\"owner\":\"alice-in\"");
            });
        }
    }

    @Test
    void unknownSourcesOversizedBodiesAndForeignOwnersAreRefused() {
        byte[] body = body("x");
        assertThat(api.deliver(unique("nobody"), body, Map.of()).statusCode()).isEqualTo(404);
        assertThat(api.deliver("src_AAAAAAAAAAAAAAAAAAAA", body, Map.of()).statusCode()).isEqualTo(404);

        String secret = WebhookSecret.generate();
        Source source = configure("standard", List.of(secret), null);
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        assertThat(api.deliver(source.id(), big, sign(Scheme.STANDARD, null, "big", Instant.now(), big, secret)).statusCode()).isEqualTo(413);

        String bob = api.issueKey("bob-in");
        String config = "{\"scheme\":\"standard\",\"secrets\":[\"" + WebhookSecret.generate()
                + "\"],\"destination\":{\"type\":\"sqs\",\"name\":\"" + Cloud.INBOUND_QUEUE + "\"}}";
        assertThat(api.call("GET", "/v1/hooks/sources/" + source.name(), bob, null).statusCode()).isEqualTo(404);
        assertThat(api.call("PUT", "/v1/hooks/sources/" + source.name(), null, config).statusCode()).isEqualTo(401);
        // Names are per owner: bob's source of the same name is his own, with its own receive id.
        JsonNode bobs = api.expect(201, "PUT", "/v1/hooks/sources/" + source.name(), bob, config);
        assertThat(bobs.path("id").asText()).isNotEqualTo(source.id());
        assertThat(api.expect(200, "GET", "/v1/hooks/sources/" + source.name(), alice, null).path("id").asText()).isEqualTo(source.id());
        assertThat(api.call("PUT", "/v1/hooks/sources/" + unique("elsewhere"), alice, config.replace(Cloud.INBOUND_QUEUE, "someone-elses-queue"))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void secretsAreNeverShownBack() {
        String secret = WebhookSecret.generate();
        Source source = configure("standard", List.of(secret), null);

        HttpResponse<String> shown = api.call("GET", "/v1/hooks/sources/" + source.name(), alice, null);

        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(secret.substring(6, 20));
        assertThat(Api.json(shown).path("secretCount").asInt()).isEqualTo(1);
        assertThat(Logs.text()).contains(source.name()).doesNotContain(secret.substring(6));
    }
}
