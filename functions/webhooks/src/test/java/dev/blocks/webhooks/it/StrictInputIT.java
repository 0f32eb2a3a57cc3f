package dev.blocks.webhooks.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blocks.localcloud.junit.LocalCloudExtension;
import dev.blocks.webhooks.domain.WebhookSecret;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Strict input through the gateway: a misplaced or misspelt option is a 400 problem naming it, and nothing is
 * written (rather than the option being ignored and its default used).
 */
class StrictInputIT {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = Cloud.extension();

    private static Api api;

    @BeforeAll
    static void setUp() {
        api = new Api(CLOUD);
    }

    private static List<String> unknownFields(HttpResponse<String> response) {
        Api.problem(response, 400);
        List<String> fields = new ArrayList<>();
        for (JsonNode error : Api.json(response).path("errors")) {
            assertThat(error.path("message").asText()).isEqualTo("unknown field");
            fields.add(error.path("field").asText());
        }
        return fields;
    }

    @Test
    void anHmacOptionBesideHmacInsteadOfInsideItIsRefusedAndNoSourceIsWritten() {
        String key = api.newOwnerKey("strict");
        String name = "strict-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"scheme\":\"hmac\",\"secrets\":[\"" + WebhookSecret.generate() + "\"],"
                + "\"destination\":{\"type\":\"sqs\",\"name\":\"" + Cloud.INBOUND_QUEUE + "\"},"
                + "\"hmac\":{\"algorithm\":\"sha256\",\"encodng\":\"hex\"},\"header\":\"x-my-signature\"}";

        assertThat(unknownFields(api.call("PUT", "/v1/hooks/sources/" + name, key, body)))
                .containsExactly("hmac.encodng", "header");

        assertThat(api.call("GET", "/v1/hooks/sources/" + name, key, null).statusCode()).isEqualTo(404);
        assertThat(api.expect(200, "GET", "/v1/hooks/sources", key, null).path("sources")).isEmpty();
    }

    @Test
    void aMisspeltEndpointOrEventFieldIsRefusedAndNothingIsWritten() {
        String key = api.newOwnerKey("strict");

        assertThat(unknownFields(api.call("POST", "/v1/endpoints", key,
                "{\"url\":\"http://" + Cloud.RECEIVER_HOST + ":9/x\",\"secrte\":\"whsec_x\",\"event\":[\"a.b\"]}")))
                .containsExactly("secrte", "event");
        assertThat(api.expect(200, "GET", "/v1/endpoints", key, null).path("endpoints")).isEmpty();

        String endpointId = api.expect(201, "POST", "/v1/endpoints", key,
                "{\"url\":\"http://" + Cloud.RECEIVER_HOST + ":9/x\"}").path("id").asText();
        assertThat(unknownFields(api.call("PATCH", "/v1/endpoints/" + endpointId, key, "{\"disable\":true}")))
                .containsExactly("disable");
        assertThat(api.expect(200, "GET", "/v1/endpoints/" + endpointId, key, null).path("disabled").asBoolean()).isFalse();
        assertThat(unknownFields(api.call("POST", "/v1/endpoints/" + endpointId + "/recover", key,
                "{\"since\":\"2026-01-01T00:00:00Z\",\"limit\":5}"))).containsExactly("limit");

        // An event with a misspelt key is refused before anything is stored: its idempotency key is still free.
        assertThat(unknownFields(api.call("POST", "/v1/events", key,
                "{\"type\":\"a.b\",\"payload\":{\"free\":{\"form\":1}},\"idempotencyKey\":\"k1\",\"typ\":\"a.c\"}")))
                .containsExactly("typ");
        JsonNode first = api.expect(202, "POST", "/v1/events", key,
                "{\"type\":\"a.b\",\"payload\":{\"other\":2},\"idempotencyKey\":\"k1\"}");
        assertThat(first.path("duplicate").asBoolean()).isFalse();
    }
}
