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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Attacks through the local cloud's gateway, each tried as an outsider would with a real API key of its own, and
 * each asserted refused with nothing changed: one tenant reaching for another's endpoints, messages and sources;
 * two tenants' sources of the same name kept apart down to what their destinations receive; captured GitHub and
 * HMAC deliveries replayed with a fresh unsigned delivery id. The inbound checks read queues of their own (the
 * test stack's {@code wh-inbound-*}), so what a destination received is exactly what these tests sent there.
 */
class SecurityIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String QUEUE_A = Cloud.PREFIX + "-inbound-tenant-a";
    private static final String QUEUE_B = Cloud.PREFIX + "-inbound-tenant-b";
    private static final String REPLAY_QUEUE = Cloud.PREFIX + "-inbound-replay";

    private static Api api;
    private static SqsClient sqs;
    private static Receiver receiver;

    @BeforeAll
    static void setUp() throws Exception {
        api = new Api(CLOUD);
        sqs = api.sqs();
        receiver = Receiver.start(0);
    }

    @AfterAll
    static void tearDown() {
        sqs.close();
        receiver.close();
    }

    private static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private record Tenant(String owner, String key) {}

    private static Tenant tenant(String stem) {
        String owner = unique(stem);
        return new Tenant(owner, api.issueKey(owner));
    }

    private static String sourceJson(String scheme, String secret, String queue, String extra) {
        return "{\"scheme\":\"" + scheme + "\",\"secrets\":[\"" + secret + "\"],\"destination\":{\"type\":\"sqs\",\"name\":\""
                + queue + "\"}" + (extra == null ? "" : "," + extra) + "}";
    }

    private static Map<String, String> sign(Scheme scheme, HmacOptions hmac, String id, byte[] body, String secret) {
        Signatures signatures = scheme.signatures(hmac);
        return signatures.sign(id, Instant.now(), body, SecretSet.of(secret).keys(signatures));
    }

    private static byte[] event(String marker) {
        return ("{\"marker\":\"" + marker + "\",\"action\":\"opened\",\"n\":1}").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code queue} until a message whose body carries {@code sentinel} came, then a second more for stragglers. */
    private static List<JsonNode> receivedUpTo(String queue, String sentinel) {
        List<JsonNode> read = Api.drain(sqs, queue, DEADLINE,
                list -> list.stream().anyMatch(m -> m.path("body").asText().contains(sentinel)));
        assertThat(read).as("the sentinel reached " + queue).anyMatch(m -> m.path("body").asText().contains(sentinel));
        read.addAll(Api.drain(sqs, queue, Duration.ofSeconds(1), list -> false));
        return read;
    }

    private static List<JsonNode> carrying(List<JsonNode> messages, String marker) {
        return messages.stream().filter(m -> m.path("body").asText().contains(marker)).toList();
    }

    // --- outbound: endpoints and messages ------------------------------------------------------------------------

    @Test
    void anotherTenantCannotReadChangeDeleteOrRecoverAnEndpointOrReadItsMessages() {
        Tenant alice = tenant("sec-alice");
        Tenant mallory = tenant("sec-mallory");
        String path = "/" + unique("alice-endpoint");
        JsonNode created = api.expect(201, "POST", "/v1/endpoints", alice.key(),
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"order.*\"],\"description\":\"alice's\"}");
        String endpointId = created.path("id").asText();
        JsonNode published = api.expect(202, "POST", "/v1/events", alice.key(),
                "{\"type\":\"order.paid\",\"payload\":{\"order\":1}}");
        String messageId = published.path("messages").get(0).path("id").asText();
        JsonNode delivered = Api.pollUntil(DEADLINE, () -> api.expect(200, "GET", "/v1/messages/" + messageId, alice.key(), null),
                m -> m.path("status").asText().equals("DELIVERED"));
        assertThat(delivered.path("status").asText()).isEqualTo("DELIVERED");
        JsonNode endpointBefore = api.expect(200, "GET", "/v1/endpoints/" + endpointId, alice.key(), null);
        JsonNode attemptsBefore = api.expect(200, "GET", "/v1/messages/" + messageId + "/attempts", alice.key(), null);

        Map<String, HttpResponse<String>> attacks = new LinkedHashMap<>();
        attacks.put("GET endpoint", api.call("GET", "/v1/endpoints/" + endpointId, mallory.key(), null));
        attacks.put("PATCH endpoint", api.call("PATCH", "/v1/endpoints/" + endpointId, mallory.key(),
                "{\"url\":\"" + receiver.url("/mallory") + "\",\"description\":\"mine\",\"disabled\":true}"));
        attacks.put("rotate secret", api.call("PATCH", "/v1/endpoints/" + endpointId, mallory.key(), "{\"rotateSecret\":true}"));
        attacks.put("recover", api.call("POST", "/v1/endpoints/" + endpointId + "/recover", mallory.key(),
                "{\"since\":\"2020-01-01T00:00:00Z\"}"));
        attacks.put("GET message", api.call("GET", "/v1/messages/" + messageId, mallory.key(), null));
        attacks.put("GET attempts", api.call("GET", "/v1/messages/" + messageId + "/attempts", mallory.key(), null));
        attacks.put("DELETE endpoint", api.call("DELETE", "/v1/endpoints/" + endpointId, mallory.key(), null));

        attacks.forEach((attack, response) -> {
            Api.problem(response, 404);
            assertThat(response.body()).as(attack).doesNotContain(path).doesNotContain("alice's");
        });
        assertThat(api.expect(200, "GET", "/v1/endpoints", mallory.key(), null).path("endpoints")).isEmpty();
        // Mallory's events fan out to Mallory's endpoints only: none.
        assertThat(api.expect(202, "POST", "/v1/events", mallory.key(), "{\"type\":\"order.paid\",\"payload\":{\"order\":2}}")
                .path("messages")).isEmpty();

        // Alice's endpoint and message, read back as Alice: exactly as they were.
        assertThat(api.expect(200, "GET", "/v1/endpoints/" + endpointId, alice.key(), null)).isEqualTo(endpointBefore);
        assertThat(endpointBefore.path("url").asText()).isEqualTo(receiver.url(path));
        assertThat(endpointBefore.path("disabled").asBoolean()).isFalse();
        assertThat(api.expect(200, "GET", "/v1/messages/" + messageId, alice.key(), null)).isEqualTo(delivered);
        assertThat(api.expect(200, "GET", "/v1/messages/" + messageId + "/attempts", alice.key(), null)).isEqualTo(attemptsBefore);
        assertThat(receiver.requests("/mallory")).isEmpty();
        assertThat(receiver.requests(path)).hasSize(1);
    }

    // --- inbound: sources ------------------------------------------------------------------------------------------

    @Test
    void anotherTenantCannotReadReplaceOrDeleteASource() {
        Tenant alice = tenant("sec-alice");
        Tenant mallory = tenant("sec-mallory");
        String name = unique("billing");
        String secret = WebhookSecret.generate();
        JsonNode created = api.expect(201, "PUT", "/v1/hooks/sources/" + name, alice.key(),
                sourceJson("standard", secret, QUEUE_A, null));
        String receiveId = created.path("id").asText();
        JsonNode before = api.expect(200, "GET", "/v1/hooks/sources/" + name, alice.key(), null);

        HttpResponse<String> read = api.call("GET", "/v1/hooks/sources/" + name, mallory.key(), null);
        HttpResponse<String> deleted = api.call("DELETE", "/v1/hooks/sources/" + name, mallory.key(), null);
        HttpResponse<String> readById = api.call("GET", "/v1/hooks/sources/" + receiveId, mallory.key(), null);
        JsonNode listed = api.expect(200, "GET", "/v1/hooks/sources", mallory.key(), null);

        for (HttpResponse<String> response : List.of(read, deleted, readById)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            // Nothing of Alice's source comes back (a 404 names only what the caller asked for).
            assertThat(response.body()).doesNotContain(QUEUE_A).doesNotContain("secretCount").doesNotContain(alice.owner());
        }
        assertThat(listed.path("sources")).isEmpty();
        assertThat(listed.toString()).doesNotContain(receiveId);
        // A PUT of the same name makes Mallory a source of her own: Alice's is untouched, her receive id still hers.
        String mallorySecret = WebhookSecret.generate();
        JsonNode mallorys = api.expect(201, "PUT", "/v1/hooks/sources/" + name, mallory.key(),
                sourceJson("standard", mallorySecret, QUEUE_B, null));
        assertThat(mallorys.path("id").asText()).isNotEqualTo(receiveId);
        assertThat(api.call("DELETE", "/v1/hooks/sources/" + name, mallory.key(), null).statusCode()).isEqualTo(204);

        assertThat(api.expect(200, "GET", "/v1/hooks/sources/" + name, alice.key(), null)).isEqualTo(before);
        JsonNode alicesList = api.expect(200, "GET", "/v1/hooks/sources", alice.key(), null).path("sources");
        assertThat(alicesList).hasSize(1);
        assertThat(alicesList.get(0).path("id").asText()).isEqualTo(receiveId);
        // Still verified with Alice's secret at Alice's receive id, and refused with Mallory's.
        String id = unique("msg");
        byte[] body = event(id);
        assertThat(api.deliver(receiveId, body, sign(Scheme.STANDARD, null, id, body, mallorySecret)).statusCode()).isEqualTo(401);
        assertThat(api.deliver(receiveId, body, sign(Scheme.STANDARD, null, id, body, secret)).statusCode()).isEqualTo(202);
        List<JsonNode> received = receivedUpTo(QUEUE_A, id);
        assertThat(carrying(received, id)).singleElement().satisfies(m -> assertThat(m.path("owner").asText()).isEqualTo(alice.owner()));

        // Alice deletes her own: gone for senders too (404, nothing published).
        assertThat(api.call("DELETE", "/v1/hooks/sources/" + name, alice.key(), null).statusCode()).isEqualTo(204);
        assertThat(api.call("GET", "/v1/hooks/sources/" + name, alice.key(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void twoOwnersBothHaveAcmeAndEachDestinationGetsOnlyItsOwnersEvents() {
        Tenant alice = tenant("sec-alice");
        Tenant bob = tenant("sec-bob");
        String aliceSecret = WebhookSecret.generate();
        String bobSecret = WebhookSecret.generate();
        String alicesAcme = api.expect(201, "PUT", "/v1/hooks/sources/acme", alice.key(),
                sourceJson("standard", aliceSecret, QUEUE_A, null)).path("id").asText();
        String bobsAcme = api.expect(201, "PUT", "/v1/hooks/sources/acme", bob.key(),
                sourceJson("standard", bobSecret, QUEUE_B, null)).path("id").asText();
        assertThat(alicesAcme).isNotEqualTo(bobsAcme).doesNotContain("acme").doesNotContain(alice.owner());

        String forAlice = unique("for-alice");
        byte[] aliceBody = event(forAlice);
        Map<String, String> signedForAlice = sign(Scheme.STANDARD, null, forAlice, aliceBody, aliceSecret);
        HttpResponse<String> atAlices = api.deliver(alicesAcme, aliceBody, signedForAlice);
        // The same request, aimed at Bob's acme: Bob's secret is another, so it does not verify there.
        HttpResponse<String> atBobs = api.deliver(bobsAcme, aliceBody, signedForAlice);
        String forBob = unique("for-bob");
        byte[] bobBody = event(forBob);
        HttpResponse<String> bobsOwn = api.deliver(bobsAcme, bobBody, sign(Scheme.STANDARD, null, forBob, bobBody, bobSecret));

        assertThat(atAlices.statusCode()).isEqualTo(202);
        assertThat(atBobs.statusCode()).isEqualTo(401);
        assertThat(Api.json(atBobs).path("type").asText()).endsWith("invalid-signature");
        assertThat(bobsOwn.statusCode()).isEqualTo(202);

        List<JsonNode> aliceGot = receivedUpTo(QUEUE_A, forAlice);
        List<JsonNode> bobGot = receivedUpTo(QUEUE_B, forBob);
        assertThat(aliceGot).singleElement().satisfies(m -> {
            assertThat(m.path("owner").asText()).isEqualTo(alice.owner());
            assertThat(m.path("source").asText()).isEqualTo("acme");
            assertThat(m.path("id").asText()).isEqualTo(forAlice);
            assertThat(m.path("body").asText()).isEqualTo(new String(aliceBody, StandardCharsets.UTF_8));
        });
        assertThat(bobGot).singleElement().satisfies(m -> {
            assertThat(m.path("owner").asText()).isEqualTo(bob.owner());
            assertThat(m.path("source").asText()).isEqualTo("acme");
            assertThat(m.path("id").asText()).isEqualTo(forBob);
        });
    }

    // --- inbound: replays with a changed unsigned id ---------------------------------------------------------------

    @Test
    void aReplayedGithubDeliveryWithANewDeliveryIdIsADuplicateAndPublishedOnce() {
        Tenant alice = tenant("sec-alice");
        String secret = "gh-" + UUID.randomUUID();
        String receiveId = api.expect(201, "PUT", "/v1/hooks/sources/" + unique("github"), alice.key(),
                sourceJson("github", secret, REPLAY_QUEUE, null)).path("id").asText();
        String marker = unique("push");
        byte[] body = event(marker);
        Map<String, String> captured = new LinkedHashMap<>(sign(Scheme.GITHUB, null, UUID.randomUUID().toString(), body, secret));
        captured.put("X-GitHub-Event", "push");
        Map<String, String> replayed = new LinkedHashMap<>(captured);
        replayed.put("x-github-delivery", UUID.randomUUID().toString());

        HttpResponse<String> first = api.deliver(receiveId, body, captured);
        HttpResponse<String> replay = api.deliver(receiveId, body, replayed);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(Api.json(first).path("status").asText()).isEqualTo("accepted");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(Api.json(replay).path("status").asText()).isEqualTo("duplicate");
        assertThat(Api.json(replay).path("id").asText()).isEqualTo(Api.json(first).path("id").asText());
        String sentinel = unique("sentinel");
        byte[] sentinelBody = event(sentinel);
        assertThat(api.deliver(receiveId, sentinelBody, sign(Scheme.GITHUB, null, UUID.randomUUID().toString(), sentinelBody, secret))
                .statusCode()).isEqualTo(202);
        List<JsonNode> got = carrying(receivedUpTo(REPLAY_QUEUE, sentinel), marker);
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.path("owner").asText()).isEqualTo(alice.owner());
            // The first delivery's id, passed on for tracing; the replay's never got through.
            assertThat(m.path("deliveryId").asText()).isEqualTo(captured.get("x-github-delivery"));
        });
    }

    @Test
    void aReplayedHmacDeliveryWithANewIdHeaderIsADuplicateAndPublishedOnce() {
        Tenant alice = tenant("sec-alice");
        String secret = "hmac-" + UUID.randomUUID();
        HmacOptions options = new HmacOptions("x-acme-signature", "sha256", "hex", "sha256=", "x-acme-delivery");
        String receiveId = api.expect(201, "PUT", "/v1/hooks/sources/" + unique("hmac"), alice.key(),
                sourceJson("hmac", secret, REPLAY_QUEUE, "\"hmac\":{\"header\":\"X-Acme-Signature\",\"algorithm\":\"sha256\","
                        + "\"encoding\":\"hex\",\"prefix\":\"sha256=\",\"idHeader\":\"X-Acme-Delivery\"}")).path("id").asText();
        String marker = unique("hmac-event");
        byte[] body = event(marker);
        Map<String, String> captured = sign(Scheme.HMAC, options, "delivery-1", body, secret);
        Map<String, String> replayed = new LinkedHashMap<>(captured);
        replayed.put("x-acme-delivery", "delivery-2");

        HttpResponse<String> first = api.deliver(receiveId, body, captured);
        HttpResponse<String> replay = api.deliver(receiveId, body, replayed);
        // Nor does dropping the id header make it new.
        Map<String, String> stripped = new LinkedHashMap<>(captured);
        stripped.remove("x-acme-delivery");
        HttpResponse<String> withoutId = api.deliver(receiveId, body, stripped);

        assertThat(first.statusCode()).isEqualTo(202);
        for (HttpResponse<String> again : List.of(replay, withoutId)) {
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(Api.json(again).path("status").asText()).isEqualTo("duplicate");
        }
        String sentinel = unique("sentinel");
        byte[] sentinelBody = event(sentinel);
        assertThat(api.deliver(receiveId, sentinelBody, sign(Scheme.HMAC, options, "delivery-3", sentinelBody, secret))
                .statusCode()).isEqualTo(202);
        assertThat(carrying(receivedUpTo(REPLAY_QUEUE, sentinel), marker)).singleElement()
                .satisfies(m -> assertThat(m.path("deliveryId").asText()).isEqualTo("delivery-1"));
    }

    @Test
    void theSameBodyAtTwoOwnersSourcesIsNotADuplicateOfTheOther() {
        // Dedupe is per owner and source: Bob's GitHub source does not swallow an event because Alice's saw it.
        Tenant alice = tenant("sec-alice");
        Tenant bob = tenant("sec-bob");
        String secret = "shared-by-coincidence-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (Tenant t : List.of(alice, bob)) {
            ids.add(api.expect(201, "PUT", "/v1/hooks/sources/github", t.key(), sourceJson("github", secret, REPLAY_QUEUE, null))
                    .path("id").asText());
        }
        String marker = unique("same");
        byte[] body = event(marker);

        for (String receiveId : ids) {
            HttpResponse<String> response = api.deliver(receiveId, body, sign(Scheme.GITHUB, null, "d", body, secret));
            assertThat(response.statusCode()).isEqualTo(202);
        }
        String sentinel = unique("sentinel");
        byte[] sentinelBody = event(sentinel);
        assertThat(api.deliver(ids.get(1), sentinelBody, sign(Scheme.GITHUB, null, "s", sentinelBody, secret)).statusCode())
                .isEqualTo(202);
        List<JsonNode> got = carrying(receivedUpTo(REPLAY_QUEUE, sentinel), marker);
        assertThat(got.stream().map(m -> m.path("owner").asText()).toList())
                .containsExactlyInAnyOrder(alice.owner(), bob.owner());
    }
}
