package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.blocks.localcloud.junit.ApiFuzz;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.webhooks.domain.WebhookSecret;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every route of webhooks-in and webhooks-out given hostile bodies, paths and headers (see {@link ApiFuzz}): only 2xx
 * or a 4xx problem, never a 5xx. Deliveries to the public receive route with made-up signatures are 401, 404 or 413
 * and claim no event; a refused source, endpoint or event wrote nothing; an accepted source or endpoint reads back and
 * is deleted again. The known endpoint subscribes to one event type no fuzzed event has, so that nothing fuzzed is
 * ever delivered.
 */
class FuzzIT {

    private static final LocalCloudExtension CLOUD = Cloud.extension();
    private static final String SOURCES = Cloud.PREFIX + "-webhooks-sources";
    private static final String ENDPOINTS = Cloud.PREFIX + "-webhooks-endpoints";
    private static final String MESSAGES = Cloud.PREFIX + "-webhooks-messages";
    private static final String DEDUPE = Cloud.PREFIX + "-webhooks-dedupe";
    /** A queue sources may publish to that no other test reads up to a sentinel (nothing fuzzed is published). */
    private static final String DESTINATION = Cloud.PREFIX + "-inbound-replay";
    private static final String KNOWN_TYPE = "fuzz.known";
    private static final String[] SOURCE_FIELDS = {"scheme", "secrets", "toleranceSeconds", "destination", "type",
        "name", "hmac", "header", "prefix", "algorithm", "encoding", "idHeader"};
    private static final String[] ENDPOINT_FIELDS = {"url", "events", "description", "secret", "disabled", "rotateSecret"};
    private static final List<String> SIGNATURE_HEADERS = List.of("webhook-id", "webhook-timestamp", "webhook-signature",
            "stripe-signature", "x-hub-signature-256", "x-signature", "x-delivery-id");

    private static Api api;
    private static Receiver receiver;
    private static String key;
    private static final List<String> receiveIds = new ArrayList<>();
    private static String knownEndpoint;
    private static String knownMessage;

    @BeforeContainer
    static void keySourcesEndpointAndMessage() throws IOException {
        api = new Api(CLOUD);
        receiver = Receiver.start(0);
        key = api.issueKey("fuzz");
        String secret = WebhookSecret.generate();
        for (String scheme : List.of("standard", "stripe", "github", "hmac")) {
            String body = "{\"scheme\":\"" + scheme + "\",\"secrets\":[\"" + secret + "\"],\"destination\":{\"type\":\"sqs\","
                    + "\"name\":\"" + DESTINATION + "\"}" + (scheme.equals("hmac") ? ",\"hmac\":{\"prefix\":\"sha256=\"}" : "")
                    + "}";
            receiveIds.add(api.expect(201, "PUT", "/v1/hooks/sources/fuzz-" + scheme, key, body).path("id").asText());
        }
        knownEndpoint = api.expect(201, "POST", "/v1/endpoints", key,
                "{\"url\":\"" + receiver.url("/fuzz") + "\",\"events\":[\"" + KNOWN_TYPE + "\"]}").path("id").asText();
        knownMessage = api.expect(202, "POST", "/v1/events", key,
                "{\"type\":\"" + KNOWN_TYPE + "\",\"payload\":{}}").path("messages").path(0).path("id").asText();
        // Delivered before the properties start, so that the deliverer's writes do not mix with theirs.
        JsonNode message = Api.pollUntil(Duration.ofSeconds(60),
                () -> api.expect(200, "GET", "/v1/messages/" + knownMessage, key, null),
                m -> m.path("status").asText().equals("DELIVERED"));
        assertThat(message.path("status").asText()).as("the known message: %s", message).isEqualTo("DELIVERED");
    }

    @AfterContainer
    static void report() {
        receiver.close();
        System.out.println(ApiFuzz.report());
    }

    @Property
    void receiving(@ForAll("receiveIds") String id, @ForAll("deliveryBodies") String body,
            @ForAll("signatureHeaders") Map<String, String> signature, @ForAll("headers") Map<String, String> headers) {
        long claims = CLOUD.dynamoDbRequests(DEDUPE, "PutItem") + CLOUD.dynamoDbRequests(DEDUPE, "UpdateItem");
        Map<String, String> all = new HashMap<>(headers);
        all.putAll(signature);
        HttpResponse<String> response = ApiFuzz.send("POST", CLOUD.gatewayUri("/v1/hooks/" + id), body, all);
        ApiFuzz.check("POST /v1/hooks/{sourceId}", response);
        assertThat(response.statusCode()).as("a delivery with a made-up signature: %s", response.body()).isIn(401, 404, 413);
        assertThat(CLOUD.dynamoDbRequests(DEDUPE, "PutItem") + CLOUD.dynamoDbRequests(DEDUPE, "UpdateItem"))
                .as("event claims after a %d", response.statusCode()).isEqualTo(claims);
    }

    @Property
    void configuringSources(@ForAll("sourceNames") String name, @ForAll("sourceBodies") String body,
            @ForAll("headers") Map<String, String> headers) {
        long writes = CLOUD.dynamoDbRequests(SOURCES, "UpdateItem") + CLOUD.dynamoDbRequests(SOURCES, "PutItem");
        String path = "/v1/hooks/sources/" + name;
        HttpResponse<String> response = send("PUT", path, body, headers);
        JsonNode source = ApiFuzz.check("PUT /v1/hooks/sources/{source}", response);
        if (response.statusCode() >= 400) {
            assertThat(CLOUD.dynamoDbRequests(SOURCES, "UpdateItem") + CLOUD.dynamoDbRequests(SOURCES, "PutItem"))
                    .as("writes after a %d", response.statusCode()).isEqualTo(writes);
            return;
        }
        HttpResponse<String> readBack = send("GET", path, null, Map.of());
        assertThat(readBack.statusCode()).as("reading back %s at %s", source, path).isEqualTo(200);
        assertThat(Api.json(readBack).path("id")).isEqualTo(source.path("id"));
        if (!name.startsWith("fuzz-")) {
            assertThat(send("DELETE", path, null, Map.of()).statusCode()).isEqualTo(204);
        }
    }

    @Property
    void managingSources(@ForAll("sourceNames") String name, @ForAll("sourceRoutes") String route) {
        if (route.startsWith("DELETE") && name.startsWith("fuzz-")) {
            route = "GET /v1/hooks/sources/{source}"; // the known sources stay, for the receive property
        }
        String method = route.substring(0, route.indexOf(' '));
        ApiFuzz.check(route, send(method, route.substring(route.indexOf(' ') + 1).replace("{source}", name), null, Map.of()));
    }

    @Property
    void creatingEndpoints(@ForAll("endpointBodies") String body, @ForAll("headers") Map<String, String> headers) {
        long writes = CLOUD.dynamoDbRequests(ENDPOINTS, "PutItem");
        HttpResponse<String> response = send("POST", "/v1/endpoints", body, headers);
        JsonNode endpoint = ApiFuzz.check("POST /v1/endpoints", response);
        if (response.statusCode() >= 400) {
            assertThat(CLOUD.dynamoDbRequests(ENDPOINTS, "PutItem")).as("writes after a %d", response.statusCode())
                    .isEqualTo(writes);
            return;
        }
        String path = "/v1/endpoints/" + endpoint.path("id").asText();
        HttpResponse<String> readBack = send("GET", path, null, Map.of());
        assertThat(send("DELETE", path, null, Map.of()).statusCode()).isEqualTo(204);
        assertThat(readBack.statusCode()).as("reading back %s", endpoint).isEqualTo(200);
        assertThat(Api.json(readBack).path("url")).isEqualTo(endpoint.path("url"));
    }

    @Property
    void changingEndpoints(@ForAll("endpointIds") String id, @ForAll("endpointBodies") String body,
            @ForAll boolean recover) {
        String route = recover ? "POST /v1/endpoints/{id}/recover" : "PATCH /v1/endpoints/{id}";
        String path = "/v1/endpoints/" + id + (recover ? "/recover" : "");
        HttpResponse<String> response = send(recover ? "POST" : "PATCH", path, body, Map.of());
        JsonNode answer = ApiFuzz.check(route, response);
        if (!recover && answer != null) {
            HttpResponse<String> readBack = send("GET", "/v1/endpoints/" + id, null, Map.of());
            assertThat(readBack.statusCode()).isEqualTo(200);
            assertThat(Api.json(readBack).path("url")).isEqualTo(answer.path("url"));
            assertThat(Api.json(readBack).path("events")).isEqualTo(answer.path("events"));
        }
        if (id.equals(knownEndpoint)) {
            // whatever a patch changed, the known endpoint keeps receiving only the known type and stays enabled
            send("PATCH", "/v1/endpoints/" + id, "{\"url\":\"" + receiver.url("/fuzz") + "\",\"events\":[\""
                    + KNOWN_TYPE + "\"],\"disabled\":false}", Map.of());
        }
    }

    @Property
    void readingAndDeleting(@ForAll("endpointIds") String id, @ForAll("readRoutes") String route) {
        if (route.startsWith("DELETE") && id.equals(knownEndpoint)) {
            route = "GET /v1/endpoints/{id}";
        }
        String method = route.substring(0, route.indexOf(' '));
        ApiFuzz.check(route, send(method, route.substring(route.indexOf(' ') + 1).replace("{id}", id), null, Map.of()));
    }

    @Property
    void publishingEvents(@ForAll("eventBodies") String body, @ForAll("headers") Map<String, String> headers) {
        long writes = CLOUD.dynamoDbRequests(MESSAGES, "BatchWriteItem") + CLOUD.dynamoDbRequests(MESSAGES, "PutItem");
        HttpResponse<String> response = send("POST", "/v1/events", body, headers);
        JsonNode event = ApiFuzz.check("POST /v1/events", response);
        if (response.statusCode() >= 400) {
            assertThat(CLOUD.dynamoDbRequests(MESSAGES, "BatchWriteItem") + CLOUD.dynamoDbRequests(MESSAGES, "PutItem"))
                    .as("writes after a %d", response.statusCode()).isEqualTo(writes);
        } else {
            assertThat(event.path("messages").isEmpty()).as("a fuzzed event reached an endpoint: %s", event).isTrue();
        }
    }

    @Provide
    Arbitrary<String> receiveIds() {
        return Arbitraries.oneOf(Arbitraries.of(receiveIds),
                Arbitraries.create(() -> "src_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24)),
                ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> deliveryBodies() {
        return ApiFuzz.bodies("id", "type", "data", "created");
    }

    /** What a sender's signature headers could hold: wrong schemes, wrong encodings, a current timestamp. */
    @Provide
    Arbitrary<Map<String, String>> signatureHeaders() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(0).ofMaxLength(128);
        Arbitrary<String> base64 = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
                .ofMaxLength(88);
        Arbitrary<String> now = Arbitraries.create(() -> Long.toString(Instant.now().getEpochSecond()));
        Arbitrary<String> value = Arbitraries.oneOf(hex, base64, now,
                base64.map(b -> "v1," + b), base64.map(b -> "v1," + b + " v1a," + b),
                Combinators.combine(now, hex).as((t, h) -> "t=" + t + ",v1=" + h),
                hex.map(h -> "sha256=" + h), Arbitraries.of("", "v1,", "t=,v1=", "sha256=", "t=99999999999999999999,v1=00",
                        "t=-1,v1=00", "msg_" + "x".repeat(300)),
                Arbitraries.strings().ascii().ofMaxLength(300).map(s -> s.replaceAll("[\\x00-\\x1f\\x7f]", "")));
        return Arbitraries.maps(Arbitraries.of(SIGNATURE_HEADERS), value).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> sourceNames() {
        return Arbitraries.oneOf(Arbitraries.of("fuzz-standard", "fuzz-stripe", "fuzz-github", "fuzz-hmac"),
                ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> sourceBodies() {
        // Also a valid configuration, so that the name in the path alone decides and odd names reach the table.
        String valid = "{\"scheme\":\"github\",\"secrets\":[\"" + WebhookSecret.generate() + "\"],\"destination\":{\"type\":\"sqs\","
                + "\"name\":\"" + DESTINATION + "\"}}";
        return Arbitraries.oneOf(ApiFuzz.bodies(SOURCE_FIELDS), Arbitraries.just(valid), ApiFuzz.mutationsOf(valid,
                "{\"scheme\":\"hmac\",\"secrets\":[\"" + WebhookSecret.generate() + "\"],\"hmac\":{\"header\":\"x-sig\","
                        + "\"algorithm\":\"sha256\",\"encoding\":\"hex\"},\"destination\":{\"type\":\"sqs\",\"name\":\""
                        + DESTINATION + "\"}}"));
    }

    @Provide
    Arbitrary<String> sourceRoutes() {
        return Arbitraries.of("GET /v1/hooks/sources/{source}", "DELETE /v1/hooks/sources/{source}", "GET /v1/hooks/sources");
    }

    @Provide
    Arbitrary<String> endpointBodies() {
        // Also valid ones with hostile descriptions, which are stored and shown back.
        Arbitrary<String> descriptions = Arbitraries.strings().all().ofMaxLength(300)
                .map(d -> "{\"url\":\"" + receiver.url("/fuzz") + "\",\"events\":[\"" + KNOWN_TYPE + "\"],\"description\":"
                        + JsonNodeFactory.instance.textNode(d) + "}");
        return Arbitraries.oneOf(ApiFuzz.bodies(ENDPOINT_FIELDS), descriptions, ApiFuzz.mutationsOf(
                "{\"url\":\"" + receiver.url("/fuzz") + "\",\"events\":[\"" + KNOWN_TYPE + "\"],\"description\":\"d\"}"));
    }

    @Provide
    Arbitrary<String> endpointIds() {
        return Arbitraries.oneOf(Arbitraries.of(knownEndpoint, knownMessage),
                Arbitraries.create(() -> "ep_" + UUID.randomUUID()), ApiFuzz.pathSegments());
    }

    @Provide
    Arbitrary<String> readRoutes() {
        return Arbitraries.oneOf(
                Arbitraries.of("GET /v1/endpoints/{id}", "DELETE /v1/endpoints/{id}", "GET /v1/endpoints"),
                // a message's id where an endpoint's would be, and the other way round
                Arbitraries.of("GET /v1/messages/{id}", "GET /v1/messages/{id}/attempts"));
    }

    @Provide
    Arbitrary<String> eventBodies() {
        // Also events of a type no endpoint subscribes to, with hostile payloads that get past the type check.
        return Arbitraries.oneOf(ApiFuzz.bodies("type", "idempotencyKey", "payload"),
                ApiFuzz.bodies("data", "id", "type").map(p -> "{\"type\":\"fuzz.unrouted\",\"payload\":" + p + "}"),
                ApiFuzz.mutationsOf("{\"type\":\"fuzz.unrouted\",\"payload\":{\"a\":[1,\"x\"],\"b\":{\"c\":true}}}"));
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        return ApiFuzz.headers();
    }

    private static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("x-api-key", key);
        return ApiFuzz.send(method, CLOUD.gatewayUri(path), body, all);
    }
}
