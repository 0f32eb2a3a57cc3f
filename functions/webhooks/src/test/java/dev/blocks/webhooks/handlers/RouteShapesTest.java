package dev.blocks.webhooks.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blocks.kit.http.KnownFields;
import dev.blocks.kit.http.ProblemException;
import dev.blocks.kit.validation.FieldError;
import org.junit.jupiter.api.Test;

/**
 * The shape each body-reading route declares: every field the route reads passes, and a misspelt or misplaced
 * one is a 400 naming it by its path (nothing else of the request is looked at before that).
 */
class RouteShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void passes(KnownFields shape, String body) {
        assertThat(shape.unknown(json(body))).as(body).isEmpty();
        shape.check(json(body));
    }

    private static void refuses(KnownFields shape, String body, String... fields) {
        assertThatThrownBy(() -> shape.check(json(body))).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().errors()).extracting(FieldError::field).containsExactly(fields);
            assertThat(e.problem().errors()).extracting(FieldError::message).containsOnly("unknown field");
        });
    }

    @Test
    void createEndpoint() {
        passes(WebhooksOut.CREATE_ENDPOINT, "{\"url\":\"https://r.test/h\",\"events\":[\"a.*\"],\"description\":\"d\",\"secret\":\"whsec_x\"}");
        refuses(WebhooksOut.CREATE_ENDPOINT, "{\"url\":\"https://r.test/h\",\"event\":[\"a.*\"],\"secrte\":\"x\"}", "event", "secrte");
    }

    @Test
    void patchEndpoint() {
        passes(WebhooksOut.PATCH_ENDPOINT, "{\"url\":\"https://r.test/h\",\"events\":[\"*\"],\"description\":\"d\",\"disabled\":false,\"rotateSecret\":true}");
        // A field of another route is unknown here too: a secret is rotated, never set, by PATCH.
        refuses(WebhooksOut.PATCH_ENDPOINT, "{\"rotate\":true,\"secret\":\"whsec_x\"}", "rotate", "secret");
    }

    @Test
    void recover() {
        passes(WebhooksOut.RECOVER, "{\"since\":\"2026-01-01T00:00:00Z\"}");
        refuses(WebhooksOut.RECOVER, "{\"since\":\"2026-01-01T00:00:00Z\",\"until\":\"2026-02-01T00:00:00Z\"}", "until");
    }

    @Test
    void publishLooksIntoNothingOfThePayload() {
        passes(WebhooksOut.PUBLISH, "{\"type\":\"a.b\",\"payload\":{\"anything\":{\"at\":[{\"all\":1}]}},\"idempotencyKey\":\"k\"}");
        refuses(WebhooksOut.PUBLISH, "{\"type\":\"a.b\",\"payload\":{},\"idempotency_key\":\"k\",\"data\":{}}", "idempotency_key", "data");
    }

    @Test
    void configureSource() {
        passes(HooksIn.CONFIGURE_SOURCE, "{\"scheme\":\"hmac\",\"secrets\":[\"s\"],\"toleranceSeconds\":300,"
                + "\"destination\":{\"type\":\"sqs\",\"name\":\"q\"},"
                + "\"hmac\":{\"header\":\"x-sig\",\"prefix\":\"sha256=\",\"algorithm\":\"sha256\",\"encoding\":\"hex\",\"idHeader\":\"x-id\"}}");
        // The option misplaced beside "hmac" instead of inside it, and one misspelt inside it.
        refuses(HooksIn.CONFIGURE_SOURCE, "{\"scheme\":\"hmac\",\"secrets\":[\"s\"],\"header\":\"x-sig\","
                + "\"destination\":{\"type\":\"sqs\",\"name\":\"q\",\"region\":\"eu\"},\"hmac\":{\"headr\":\"x-sig\"}}",
                "header", "destination.region", "hmac.headr");
    }
}
